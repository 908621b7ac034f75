using Targets.Cpu;

namespace Targets.Cpu.Tests;

public static class Versioned
{
    public static void Fill(int[] a, int n, int offset)
    {
        for (int j = 0; j < n; j++)
            a[offset + j] = j + 1;
    }

    public static void FillInclusive(double[] a, int last)
    {
        for (int j = 1; j <= last; j++)
            a[j] = a[j - 1] + 0.5;
    }

    public static void Row(double[,] m, int row, int n)
    {
        for (int j = 0; j < n; j++)
            m[row, j] = row * 10 + j;
    }

    public static long WrapIndex(int[] a, int baseIndex, int n)
    {
        long s = 0;
        for (int j = 0; j < n; j++)
            s += a[baseIndex + j]; // wraps past int.MaxValue when baseIndex is large: must still throw
        return s;
    }
}

/// <summary>
/// Loops versioned by VersionLoopsForBoundsChecks behave exactly as .NET: an out-of-range
/// iteration still throws after the earlier iterations' writes, wherever the range starts.
/// </summary>
public sealed class BoundsCheckVersioningTests
{
    static readonly CpuTarget Cpu = new();

    static void Same(Action<int[]> dotnet, Action<int[]> compiled, int length)
    {
        int[] expected = new int[length], actual = new int[length];
        Exception? e1 = Record.Exception(() => dotnet(expected));
        Exception? e2 = Record.Exception(() => compiled(actual));
        Assert.Equal(e1?.GetType(), e2?.GetType());
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(10, 5)]   // runs past the end: writes 5 elements, then throws
    [InlineData(0, 3)]
    [InlineData(4, -2)]   // starts before the beginning: throws at once
    [InlineData(-3, 0)]   // no iterations
    public void Out_of_range_iterations_still_throw_after_earlier_writes(int n, int offset)
    {
        var fill = Cpu.Compile(Versioned.Fill).AsDelegate<Action<int[], int, int>>();
        Same(a => Versioned.Fill(a, n, offset), a => fill(a, n, offset), 10);
    }

    [Fact]
    public void The_checks_of_a_counted_loop_are_removed_in_its_fast_copy()
    {
        string ir = Cpu.Compile(Versioned.Fill).Inspect(Stage.Ir);
        Assert.Contains("store_element.unchecked", ir);
        Assert.Contains("store_element.i32", ir); // the original, checked loop stays for the slow path
    }

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(10)]
    public void Inclusive_bounds_and_two_dimensional_rows_match_dotnet(int last)
    {
        double[] expected = new double[10], actual = new double[10];
        Exception? e1 = Record.Exception(() => Versioned.FillInclusive(expected, last));
        Exception? e2 = Record.Exception(() => Cpu.Compile(Versioned.FillInclusive).Invoke(actual, last));
        Assert.Equal(e1?.GetType(), e2?.GetType());
        Assert.Equal(expected, actual);

        double[,] m1 = new double[3, 8], m2 = new double[3, 8];
        e1 = Record.Exception(() => Versioned.Row(m1, last % 4, last));
        e2 = Record.Exception(() => Cpu.Compile(Versioned.Row).Invoke(m2, last % 4, last));
        Assert.Equal(e1?.GetType(), e2?.GetType());
        Assert.Equal(m1, m2);
    }

    [Fact]
    public void Index_arithmetic_that_wraps_is_not_assumed_in_range()
    {
        int[] a = new int[16];
        var sum = Cpu.Compile(Versioned.WrapIndex).AsDelegate<Func<int[], int, int, long>>();
        Assert.Throws<IndexOutOfRangeException>(() => Versioned.WrapIndex(a, int.MaxValue - 2, 8));
        Assert.Throws<IndexOutOfRangeException>(() => sum(a, int.MaxValue - 2, 8));
        Assert.Equal(0, sum(a, 4, 12));
    }

    [Fact]
    public void Null_arrays_take_the_checked_path()
    {
        Assert.Throws<NullReferenceException>(() => Cpu.Compile(Versioned.Fill).Invoke(null, 3, 0));
        Cpu.Compile(Versioned.Fill).Invoke(null, 0, 0); // no iteration, no access: no exception, as in .NET
    }
}

public static class VersionedByLength
{
    public static double SumSquares(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
            s += x[i] * x[i];
        return s;
    }
}

public sealed class LengthBoundTests
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Loops_bounded_by_an_array_length_are_versioned_and_null_still_throws()
    {
        CompiledFunction f = Cpu.Compile(VersionedByLength.SumSquares);
        Assert.Contains("load_element.unchecked", f.Inspect(Stage.Ir));
        Assert.Equal(VersionedByLength.SumSquares([1, 2, 3]), f.Invoke(new double[] { 1, 2, 3 }));
        Assert.Throws<NullReferenceException>(() => f.Invoke([null]));
    }
}
