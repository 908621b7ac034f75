namespace Targets.Cuda.Tests;

/// <summary>
/// Kernels that catch what they raise: per-thread catches of bounds and division errors, a finally
/// that runs on every way out, a rethrow of what the thread's catch does not handle, a raise from a
/// callee. Shared by the cuda simulator tests, the ptxas check, and the cpu and parallel launches
/// (tests/Targets.Parallel.Tests links this file).
/// </summary>
public static class ExceptionKernels
{
    public static void Guarded(Index1D i, int[] a, int[] b)
    {
        try { b[i] = 1000 / a[i] + a[i + 1]; }
        catch (DivideByZeroException) { b[i] = -1; }
        catch (IndexOutOfRangeException) { b[i] = -2; }
        finally { b[i] += 10_000; }
    }

    static int Checked(int x) => x < 0 ? throw new ArgumentOutOfRangeException(nameof(x), x, "negative") : x * 2;

    public static void FromACallee(Index1D i, int[] a)
    {
        try { a[i] = Checked(a[i]); }
        catch (ArgumentException) { a[i] = 0; }
    }

    /// <summary>An overflow is not caught here: the thread's exception leaves the kernel, as .NET's would.</summary>
    public static void Uncaught(Index1D i, int[] a)
    {
        try { a[i] = checked(a[i] * 1_000_000); }
        catch (DivideByZeroException) { a[i] = -1; }
    }
}

/// <summary>The checks of <see cref="ExceptionKernels"/> on any target, against the same code run by .NET over each index.</summary>
public static class ExceptionKernelChecks
{
    public static void CaughtPerThread(ITarget target)
    {
        int[] a = [1, 0, 5, 3, -7, 0, 2], b = new int[a.Length], expected = new int[a.Length];
        for (int i = 0; i < a.Length; i++)
            ExceptionKernels.Guarded(new Index1D(i), a, expected);
        target.Launch(ExceptionKernels.Guarded, a.Length, a, b);
        Assert.Equal(expected, b);

        int[] c = [3, -1, 0, -5, 8], fromDotnet = [.. c];
        for (int i = 0; i < c.Length; i++)
            ExceptionKernels.FromACallee(new Index1D(i), fromDotnet);
        target.Launch(ExceptionKernels.FromACallee, c.Length, c);
        Assert.Equal(fromDotnet, c);
    }

    public static void UncaughtLeavesTheKernel(ITarget target)
    {
        int[] a = [1, 2, 5000, 3];
        Assert.Throws<OverflowException>(() => target.Launch(ExceptionKernels.Uncaught, a.Length, a));
    }
}
