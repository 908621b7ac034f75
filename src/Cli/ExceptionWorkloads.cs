using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>
/// What handled exceptions cost: a loop with a try around its body against the same loop without one
/// (the path that does not throw should cost nothing), and throwing and catching inside compiled code
/// (a store into the exception record and a branch) against .NET's own throw and catch (microseconds).
/// </summary>
internal static class ExceptionWorkloads
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumWithTry(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            try
            {
                s += x[i] * x[(i + 1) % x.Length];
            }
            catch (IndexOutOfRangeException)
            {
                s = -1;
            }
        }
        return s;
    }

    /// <summary>The baseline of <see cref="SumWithTry"/>: the same loop, no try.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumWithoutTry(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
            s += x[i] * x[(i + 1) % x.Length];
        return s;
    }

    /// <summary>Each negative value throws an exception that the loop's own catch takes (half of them, alternating).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long ThrowAndCatch(int[] values)
    {
        long count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            try
            {
                if (values[i] < 0)
                    throw new InvalidOperationException("negative");
                count += values[i];
            }
            catch (InvalidOperationException)
            {
                count -= 1;
            }
        }
        return count;
    }
}
