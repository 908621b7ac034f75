using System.Numerics;
using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>
/// Generic code and functions as values against their hand-written forms: <c>Sum&lt;T&gt;</c> over generic
/// math (monomorphised, it should cost nothing over <see cref="Workloads.SumDirect"/>) and a midpoint
/// integral through a static lambda, through a capturing one, and through a lambda the host passes
/// (specialised and inlined, each should cost nothing over the loop with the function written in).
/// </summary>
internal static class GenericWorkloads
{
    static T Sum<T>(T[] a) where T : INumber<T>
    {
        T s = T.Zero;
        for (int i = 0; i < a.Length; i++)
            s += a[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumGeneric(double[] x) => Sum(x);

    /// <summary>Called from the host with <see cref="Square"/>: compiled for it (the host's delegate specialises it), .NET calls it per point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Integrate(Func<double, double> f, double a, double b, int n)
    {
        double h = (b - a) / n, s = 0;
        for (int i = 0; i < n; i++)
            s += f(a + (i + 0.5) * h);
        return s * h;
    }

    /// <summary>The static lambda the host passes to <see cref="Integrate"/>.</summary>
    internal static readonly Func<double, double> Square = static x => x * x;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double IntegrateLambda(int n) => Integrate(static x => x * x, 0, 1, n);

    /// <summary>The same integral through a lambda that captures <paramref name="k"/>: its closure is an NRT allocation per call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double IntegrateClosure(int n, double k) => Integrate(x => k * x * x, 0, 1, n);

    /// <summary>The baseline of <see cref="IntegrateLambda"/>: the same loop with <c>x * x</c> written in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double IntegrateInline(int n)
    {
        double h = 1.0 / n, s = 0;
        for (int i = 0; i < n; i++)
        {
            double x = (i + 0.5) * h;
            s += x * x;
        }
        return s * h;
    }
}
