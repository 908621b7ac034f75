using System.Numerics;

namespace Targets.Cpu.Tests;

public static class GenericCode
{
    public static T Sum<T>(T[] a) where T : INumber<T>
    {
        T s = T.Zero;
        foreach (T v in a)
            s += v;
        return s;
    }

    public static double Integrate(Func<double, double> f, double a, double b, int n)
    {
        double h = (b - a) / n, s = 0;
        for (int i = 0; i < n; i++)
            s += f(a + (i + 0.5) * h);
        return s * h;
    }

    public static double Areas(int n) => Integrate(static x => x * x, 0, 1, n) + Integrate(static x => x * 2, 0, 1, n);

    public static double ScaledArea(int n, double k) => Integrate(x => k * x * x, 0, 1, n);
}

/// <summary>
/// Generic code and functions as values at the API: closed instantiations compile (a method group or
/// <c>MakeGenericMethod</c>), an open one is an <see cref="ArgumentException"/>; a delegate parameter is
/// compiled per function passed (two lambdas, two functions) and the lambda's call is gone from the
/// optimised code, a capturing lambda's too (its closure counted, NRT balanced after each test).
/// Delegates passed from the host: <see cref="HostFunctionTests"/>.
/// </summary>
public sealed class GenericsTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Closed_generic_methods_compile_and_open_ones_are_argument_exceptions()
    {
        Assert.Equal(6.5, Cpu.Compile(GenericCode.Sum<double>).Invoke(new[] { 1.5, 2, 3 }));
        Assert.Equal(6L, Cpu.Compile(typeof(GenericCode).GetMethod(nameof(GenericCode.Sum))!.MakeGenericMethod(typeof(long))).Invoke(new[] { 1L, 2, 3 }));
        var e = Assert.Throws<ArgumentException>(() => Cpu.Compile(typeof(GenericCode).GetMethod(nameof(GenericCode.Sum))!));
        Assert.Contains("open type parameters (T)", e.Message, StringComparison.Ordinal);
        Assert.Contains("MakeGenericMethod", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delegate_parameter_is_compiled_for_each_function_passed_and_the_call_is_inlined()
    {
        CompiledFunction areas = Cpu.Compile(GenericCode.Areas);
        Assert.Equal(GenericCode.Areas(64), areas.Invoke(64));
        string ir = areas.Inspect(Stage.Ir);
        Assert.Equal(2, ir.Split('\n').Count(l => l.StartsWith("function Targets.Cpu.Tests.GenericCode.Integrate", StringComparison.Ordinal)));
        string optimized = areas.Inspect(Stage.OptimizedLlvm);
        Assert.DoesNotContain("b__", optimized, StringComparison.Ordinal); // the lambdas' bodies are inlined into the loops
    }

    [Fact]
    public void A_capturing_lambda_runs_on_a_counted_closure_and_is_inlined()
    {
        CompiledFunction scaled = Cpu.Compile(GenericCode.ScaledArea);
        Assert.Equal(GenericCode.ScaledArea(64, 3.0), scaled.Invoke(64, 3.0));
        string optimized = scaled.Inspect(Stage.OptimizedLlvm);
        Assert.Contains("nrt_instance_alloc", optimized, StringComparison.Ordinal); // the closure: one allocation per call, freed by the count
        Assert.DoesNotContain("b__", optimized, StringComparison.Ordinal);       // and the lambda's body inlined into the loop
    }
}
