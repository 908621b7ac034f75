using System.Reflection;
using Targets.Cpu;

namespace Targets.Cpu.Tests;

public static class ApiSamples
{
    public static int Twice(int x) => 2 * x;
    public static void Swap(ref int a, ref int b) => (a, b) = (b, a);
    public static int SwapAndSum(int a, int b)
    {
        Swap(ref a, ref b);
        return a * 10 + b;
    }
    public static bool Flag(bool b, byte x) => !b && x > 3;
    public static char Next(char c) => (char)(c + 1);
    public static float Half(float f) => f / 2;
    public static double[] Echo(double[] a) => a;
    public static double[] Copy(double[] a)
    {
        var r = new double[a.Length];
        for (int i = 0; i < a.Length; i++)
            r[i] = a[i];
        return r;
    }
}

/// <summary>The public API contract of CompiledFunction on the cpu target.</summary>
public sealed class ApiTests
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Compiling_twice_returns_the_cached_function_even_concurrently()
    {
        CompiledFunction[] results = new CompiledFunction[8];
        Parallel.For(0, results.Length, n => results[n] = Cpu.Compile(ApiSamples.Twice));
        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.Same(results[0], Cpu.Compile(typeof(ApiSamples).GetMethod(nameof(ApiSamples.Twice))!));
    }

    [Fact]
    public void Every_stage_can_be_inspected_except_ptx()
    {
        CompiledFunction f = Cpu.Compile(ApiSamples.Twice);
        Assert.Contains("function Targets.Cpu.Tests.ApiSamples.Twice", f.Inspect(Stage.Ir));
        Assert.Contains("define internal i32 @Targets.Cpu.Tests.ApiSamples.Twice", f.Inspect(Stage.Llvm));
        Assert.Contains(".entry", f.Inspect(Stage.OptimizedLlvm));
        Assert.Contains("ret", f.Inspect(Stage.Asm));
        Assert.Throws<ArgumentException>(() => f.Inspect(Stage.Ptx));
    }

    [Fact]
    public void Small_types_cross_the_boundary_both_ways()
    {
        Assert.Equal(ApiSamples.Flag(false, 4), Cpu.Compile(ApiSamples.Flag).AsDelegate<Func<bool, byte, bool>>()(false, 4));
        Assert.Equal(ApiSamples.Flag(true, 4), Cpu.Compile(ApiSamples.Flag).Invoke(true, (byte)4));
        Assert.Equal('b', Cpu.Compile(ApiSamples.Next).Invoke('a'));
        Assert.Equal(char.MinValue, Cpu.Compile(ApiSamples.Next).AsDelegate<Func<char, char>>()(char.MaxValue));
        Assert.Equal(0.75f, Cpu.Compile(ApiSamples.Half).Invoke(1.5f));
    }

    [Fact]
    public void Ref_parameters_work_between_compiled_methods_and_from_delegates()
    {
        Assert.Equal(21, Cpu.Compile(ApiSamples.SwapAndSum).Invoke(1, 2));
        var swap = Cpu.Compile(typeof(ApiSamples).GetMethod(nameof(ApiSamples.Swap))!).AsDelegate<SwapRefs>();
        int a = 1, b = 2;
        swap(ref a, ref b);
        Assert.Equal((2, 1), (a, b));
        Assert.Throws<ArgumentException>(() => Cpu.Compile(typeof(ApiSamples).GetMethod(nameof(ApiSamples.Swap))!).Invoke(1, 2));
    }

    public delegate void SwapRefs(ref int a, ref int b);

    [Fact]
    public void Arrays_come_back_as_the_same_object_or_a_copy()
    {
        double[] input = [1, 2, 3];
        Assert.Same(input, Cpu.Compile(ApiSamples.Echo).AsDelegate<Func<double[], double[]>>()(input));
        double[] copy = (double[])Cpu.Compile(ApiSamples.Copy).Invoke(input)!;
        Assert.NotSame(input, copy);
        Assert.Equal(input, copy);
        Assert.Null(Cpu.Compile(ApiSamples.Echo).Invoke([null]));
    }

    [Fact]
    public void Wrong_arguments_are_argument_exceptions_that_say_what_was_expected()
    {
        CompiledFunction f = Cpu.Compile(ApiSamples.Twice);
        Assert.Contains("takes 1 argument", Assert.Throws<ArgumentException>(() => f.Invoke()).Message);
        Assert.Contains("must be Int32, got Int64", Assert.Throws<ArgumentException>(() => f.Invoke(3L)).Message);
        Assert.Contains("Expected a delegate type with the signature Int32(Int32)",
            Assert.Throws<ArgumentException>(() => f.AsDelegate<Func<long, long>>()).Message);
    }

    [Fact]
    public void Instance_delegates_and_lambdas_are_rejected_with_a_reason()
    {
        Func<int, int> lambda = x => x + 1;
        Assert.Contains("static method", Assert.Throws<ArgumentException>(() => Cpu.Compile(lambda)).Message);
        MethodInfo instance = typeof(object).GetMethod(nameof(GetHashCode))!;
        Assert.Throws<CompilationException>(() => Cpu.Compile(instance));
    }

    [Fact]
    public void Unoptimised_compilation_gives_the_same_answers()
    {
        CompiledFunction f = Cpu.Compile(ApiSamples.Copy, new CompileOptions { Optimize = false });
        Assert.NotSame(f, Cpu.Compile(ApiSamples.Copy));
        Assert.Equal(new double[] { 4, 5 }, (double[])f.Invoke(new double[] { 4, 5 })!);
    }
}
