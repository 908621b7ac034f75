namespace Targets;

/// <summary>
/// Parallel loops, as Numba's <c>prange</c>: <c>foreach (int i in Prange.Range(n)) …</c>. In plain
/// .NET and on the cpu target the loop runs in order; the parallel target splits its iterations
/// across cores, combining scalar reductions (<c>+=</c>, <c>*=</c>, <c>-=</c>, <c>&amp;=</c>,
/// <c>|=</c>, <c>^=</c>, <c>Math.Min</c>, <c>Math.Max</c>) per chunk. The iterations must be
/// independent: the compiler rejects bodies that race, and proves array writes such as
/// <c>a[i * n + j]</c> (with <c>j &lt; n</c>) disjoint; <see cref="Disjoint(int)"/> is the explicit
/// promise for what it cannot prove.
/// </summary>
public static class Prange
{
    /// <summary><c>0, 1, …, count-1</c>.</summary>
    public static PrangeRange Range(int count) => new(0, count, 1);

    /// <summary><c>start, start+1, …, end-1</c>.</summary>
    public static PrangeRange Range(int start, int end) => new(start, end, 1);

    /// <summary><c>start, start+step, …</c> while before <paramref name="end"/> (after it, for a negative step).</summary>
    /// <exception cref="ArgumentException"><paramref name="step"/> is zero (compiled code throws the same).</exception>
    public static PrangeRange Range(int start, int end, int step) =>
        step != 0 ? new(start, end, step) : throw new ArgumentException(ZeroStep);

    /// <summary>
    /// <see cref="Range(int)"/>, with the caller's promise that no two iterations write the same
    /// array element. The parallel target then does not check the loop's array writes and reads
    /// (variables are still checked: reductions, privates); use it for what the race check cannot
    /// prove (indices from a permutation, writes bounded by data) — a broken promise is a data race,
    /// as with <c>Parallel.For</c> or Numba's <c>prange</c>. In plain .NET, on cpu and on cuda it is
    /// <see cref="Range(int)"/>.
    /// </summary>
    public static PrangeRange Disjoint(int count) => new(0, count, 1);

    /// <summary><see cref="Range(int, int)"/>, with the promise of <see cref="Disjoint(int)"/>.</summary>
    public static PrangeRange Disjoint(int start, int end) => new(start, end, 1);

    /// <summary><see cref="Range(int, int, int)"/>, with the promise of <see cref="Disjoint(int)"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="step"/> is zero (compiled code throws the same).</exception>
    public static PrangeRange Disjoint(int start, int end, int step) => Range(start, end, step);

    /// <summary>The message of a zero step, the same in .NET and in compiled code.</summary>
    public const string ZeroStep = "Prange.Range: the step must not be zero.";
}

/// <summary>The iterations of a <see cref="Prange"/> loop (a struct, so <c>foreach</c> over it allocates nothing).</summary>
public readonly struct PrangeRange
{
    readonly long start, end, step;

    internal PrangeRange(long start, long end, long step)
    {
        this.start = start;
        this.end = end;
        this.step = step;
    }

    public PrangeEnumerator GetEnumerator() => new(start - step, end, step);
}

/// <summary>The enumerator <c>foreach</c> uses; compiled code keeps its three numbers in registers.</summary>
public struct PrangeEnumerator
{
    long current;
    readonly long end, step;

    internal PrangeEnumerator(long current, long end, long step)
    {
        this.current = current;
        this.end = end;
        this.step = step;
    }

    public readonly int Current => (int)current;

    public bool MoveNext()
    {
        current += step;
        return step > 0 ? current < end : current > end;
    }
}
