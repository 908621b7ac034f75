using System.Collections.Generic;

namespace Targets.Cpu.Tests;

/// <summary>Code for <see cref="LazyCalleesTests"/>: the same C# runs on .NET and compiled.</summary>
public static class LazyCode
{
    public static bool IsEven(int n) => n == 0 || IsOdd(n - 1);

    public static bool IsOdd(int n) => n != 0 && IsEven(n - 1);

    /// <summary>Calls a method that cannot compile (it builds a string) only when asked to.</summary>
    public static int MaybeUnsupported(int n)
    {
        var scratch = new int[n];
        scratch[0] = n;
        return n > 100 ? Unsupported(n) : scratch[0] * 2;
    }

    static int Unsupported(int n) => new System.Text.StringBuilder().Append(n).Length;

    public static long ArraysAcross(int n) => Sum(Make(n)) + Sum(Make(n + 1));

    static long[] Make(int n)
    {
        var a = new long[n];
        for (int i = 0; i < n; i++)
            a[i] = i;
        return a;
    }

    static long Sum(long[] a)
    {
        long s = 0;
        foreach (long x in a)
            s += x;
        return s;
    }

    public static int Trees(int depth) => InliningCode.Make(depth).Check();

    public static long OutOfRange(int n) => Sum(Make(n)) + Element(Make(n), n);

    static long Element(long[] a, int i) => a[i];
}

/// <summary>
/// <see cref="CompileOptions.LazyCallees"/>: callees compiled separately when first called, through
/// slots patched then; a callee that cannot compile raises <see cref="UnresolvedSymbolException"/>
/// where it is called instead of crashing or failing the caller's compilation.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class LazyCalleesTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();
    static readonly CompileOptions Lazy = new() { LazyCallees = true };

    [Fact]
    public void Mutually_recursive_functions_compile_separately_and_agree_with_dotnet()
    {
        var isEven = (CpuCompiledFunction)Cpu.Compile(LazyCode.IsEven, Lazy);
        Assert.Contains("declare Targets.Cpu.Tests.LazyCode.IsOdd(i32) -> bool ; compiled when first called", isEven.Inspect(Stage.Ir));
        Assert.DoesNotContain("function Targets.Cpu.Tests.LazyCode.IsOdd", isEven.Inspect(Stage.Ir));
        string llvm = isEven.Inspect(Stage.Llvm);
        Assert.Contains("IsOdd.slot = internal global ptr @Targets.Cpu.Tests.LazyCode.IsOdd.resolve", llvm);
        Assert.Contains("@nrt_resolve", llvm);
        var even = isEven.AsDelegate<Func<int, bool>>();
        foreach (int n in new[] { 0, 1, 10, 7, 1001 })
            Assert.Equal(LazyCode.IsEven(n), even(n)); // the first call patches the slot, the others use it
        var odd = Cpu.Compile(LazyCode.IsOdd, Lazy).AsDelegate<Func<int, bool>>();
        Assert.Equal(LazyCode.IsOdd(9), odd(9));
    }

    [Fact]
    public void A_callee_that_cannot_compile_raises_where_it_is_called_and_releases_what_the_caller_held()
    {
        Assert.Throws<CompilationException>(() => Cpu.Compile(LazyCode.MaybeUnsupported)); // eager: the whole graph at once
        var f = Cpu.Compile(LazyCode.MaybeUnsupported, Lazy).AsDelegate<Func<int, int>>();
        Assert.Equal(LazyCode.MaybeUnsupported(5), f(5));
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var error = Assert.Throws<UnresolvedSymbolException>(() => f(500));
            Assert.Equal("Unsupported", error.Callee.Name);
            var reason = Assert.IsType<CompilationException>(error.InnerException);
            Assert.Contains("StringBuilder", reason.Message);
            Assert.Contains("could not be compiled", error.Message);
        }
        Assert.Equal(LazyCode.MaybeUnsupported(7), f(7));
    }

    [Fact]
    public void An_exception_raised_in_a_lazily_compiled_callee_reaches_dotnet_and_releases_what_was_held()
    {
        var f = Cpu.Compile(LazyCode.OutOfRange, Lazy).AsDelegate<Func<int, long>>();
        Assert.Throws<IndexOutOfRangeException>(() => LazyCode.OutOfRange(3));
        Assert.Throws<IndexOutOfRangeException>(() => f(3)); // the fixture checks the arrays were released
    }

    [Fact]
    public void Two_threads_making_the_first_call_together_both_get_the_right_answer()
    {
        var f = Cpu.Compile(LazyCode.ArraysAcross, new CompileOptions { LazyCallees = true, Optimize = false }).AsDelegate<Func<int, long>>();
        long[] results = new long[2];
        using var start = new Barrier(2);
        Thread[] threads = [.. Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            results[t] = f(100 + t);
        }))];
        foreach (Thread thread in threads)
            thread.Start();
        foreach (Thread thread in threads)
            thread.Join();
        Assert.Equal([LazyCode.ArraysAcross(100), LazyCode.ArraysAcross(101)], results);
    }

    [Fact]
    public void Arrays_and_instances_pass_through_slots_with_the_usual_reference_counts()
    {
        Assert.Equal(LazyCode.ArraysAcross(10), Cpu.Compile(LazyCode.ArraysAcross, Lazy).Invoke(10));
        Assert.Equal(LazyCode.Trees(5), Cpu.Compile(LazyCode.Trees, Lazy).Invoke(5));
    }
}
