
namespace Targets.Cpu.Tests;

/// <summary>
/// Unbounded recursion in compiled code ends the process as .NET's own does ("Stack overflow.",
/// SIGABRT), whether or not the recursion allocates; so does a stackalloc past the stack's end (one huge one, a
/// negative length, or many in a loop), which the stack probes stop before anything is written past the guard page. Allocation used to hang: the overflow struck
/// inside malloc, holding its lock, and the fault path needed malloc again. Each case runs in a
/// child process with a time limit, so a hang fails the test instead of the run.
/// </summary>
public sealed class StackOverflowTests
{
    [Theory]
    [InlineData(nameof(StackOverflowProbe.Plain))]
    [InlineData(nameof(StackOverflowProbe.Allocating))]
    [InlineData(nameof(StackOverflowProbe.AllocatingPooled))]
    [InlineData(nameof(StackOverflowProbe.Releasing))]
    [InlineData(nameof(StackOverflowProbe.AllocatingOnThread))]
    [InlineData(nameof(StackOverflowProbe.HugeStackalloc))]
    [InlineData(nameof(StackOverflowProbe.NegativeStackalloc))]
    [InlineData(nameof(StackOverflowProbe.StackallocInALoop))]
    public void Recursion_past_the_stack_ends_as_net_does_never_a_hang(string probe)
    {
        var result = ChildProcess.Run(typeof(StackOverflowProbe), probe, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 134, $"child process exited with {result.ExitCode} (134 = SIGABRT expected):\n{Tail(result.Output)}");
        Assert.Contains("Stack overflow.", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("returned", result.Output, StringComparison.Ordinal);
    }

    static string Tail(string output) => output.Length <= 2000 ? output : output[^2000..];
}

/// <summary>The recursions <see cref="StackOverflowTests"/> runs in child processes; each should never return.</summary>
public static class StackOverflowProbe
{
    /// <summary>Recursion without allocation (the work after the call keeps it from becoming a loop).</summary>
    public static int Down(int n, int[] a)
    {
        if (n == 0)
            return 0;
        int r = Down(n - 1, a);
        a[n & 7] += r;
        return r + 1;
    }

    /// <summary>Each level allocates a block too large for the pool: malloc on every call, the block alive until the return.</summary>
    public static int DownAllocating(int n)
    {
        if (n == 0)
            return 0;
        var block = new int[100];
        block[n % 100] = n;
        return DownAllocating(n - 1) + block[n % 100];
    }

    /// <summary>Small blocks: the pool first, malloc when it runs dry.</summary>
    public static int DownPooled(int n)
    {
        if (n == 0)
            return 0;
        var block = new int[2];
        block[n & 1] = n;
        return DownPooled(n - 1) + block[n & 1];
    }

    /// <summary>Each level frees a large block before recursing: free on every call.</summary>
    public static int DownReleasing(int n)
    {
        if (n == 0)
            return 0;
        var block = new long[64];
        block[3] = n;
        long kept = block[3];
        block = null!;
        return DownReleasing(n - 1) + (int)kept + Touch(new long[64]);
    }

    static int Touch(long[] a) => a.Length;

    /// <summary>A stackalloc of <paramref name="n"/> ints (a negative n is a huge unsigned size, as in .NET), written at both ends.</summary>
    public static int Scratch(int n)
    {
        Span<int> s = stackalloc int[n];
        s[0] = 1;
        s[^1] = 2;
        return s[0] + s[^1];
    }

    /// <summary>A stackalloc in a loop: each one stays until the function returns, as .NET's localloc.</summary>
    public static int Growing(int n)
    {
        int t = 0;
        for (int k = 0; k < n; k++)
        {
#pragma warning disable CA2014 // the point: the loop's stackallocs overflow the stack
            Span<long> s = stackalloc long[512];
#pragma warning restore CA2014
            s[k & 511] = k;
            t += (int)s[k & 511];
        }
        return t;
    }

    public static int Plain() => Report(new CpuTarget().Compile(Down).AsDelegate<Func<int, int[], int>>()(int.MaxValue, new int[8]));

    public static int Allocating() => Report(new CpuTarget().Compile(DownAllocating).AsDelegate<Func<int, int>>()(int.MaxValue));

    public static int AllocatingPooled() => Report(new CpuTarget().Compile(DownPooled).AsDelegate<Func<int, int>>()(int.MaxValue));

    public static int Releasing() => Report(new CpuTarget().Compile(DownReleasing).AsDelegate<Func<int, int>>()(int.MaxValue));

    /// <summary>256 MB on an 8 MB stack: probed page by page, the fault strikes next to the stack pointer.</summary>
    public static int HugeStackalloc() => Report(new CpuTarget().Compile(Scratch).AsDelegate<Func<int, int>>()(64 << 20));

    public static int NegativeStackalloc() => Report(new CpuTarget().Compile(Scratch).AsDelegate<Func<int, int>>()(-1));

    public static int StackallocInALoop() => Report(new CpuTarget().Compile(Growing).AsDelegate<Func<int, int>>()(1 << 20));

    /// <summary>On a thread of its own with a 1 MB stack (the main thread's is 8 MB).</summary>
    public static int AllocatingOnThread()
    {
        var f = new CpuTarget().Compile(DownAllocating).AsDelegate<Func<int, int>>();
        int value = 0;
        var thread = new Thread(() => value = f(int.MaxValue), 1 << 20);
        thread.Start();
        thread.Join();
        return Report(value);
    }

    static int Report(int value)
    {
        Console.WriteLine($"returned {value}");
        return 0;
    }
}
