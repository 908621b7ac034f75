namespace Targets.Cpu.Tests;

/// <summary>
/// Targets of one kind share compiled code: a method compiled by another target with the same
/// options, whose layout context lays out every class the code reads the same way, is not compiled
/// again; each target holds its own handle, and the code goes with the last. Stubs are shared by shape
/// and by how they call (with the GC transition or, for brief code, without).
/// </summary>
public sealed class SharedCodeTests : NrtLeakCheck
{
    public static long Triangle(long n)
    {
        long s = 0;
        for (long k = 1; k <= n; k++)
            s += k;
        return s;
    }

    public static long Square(long n) => n * n;

    public static long Ratio(long n) => 100 / n;

    public static int Twice(int n) => 2 * n;

    static nint AddressOf(CompiledFunction f) => ((CpuCompiledFunction)f).Address;

    [Fact]
    public void Functions_of_one_shape_share_one_stub_and_each_runs_its_own_code()
    {
        using var cpu = new CpuTarget();
        using CompiledFunction triangle = cpu.Compile(Triangle), square = cpu.Compile(Square), ratio = cpu.Compile(Ratio), twice = cpu.Compile(Twice);
        Func<long, long> t = triangle.AsDelegate<Func<long, long>>(), s = square.AsDelegate<Func<long, long>>(), r = ratio.AsDelegate<Func<long, long>>();
        Assert.Equal(s.Method, r.Method); // one stub (a DynamicMethod), bound to each function's code
        Assert.NotEqual(t.Method, s.Method); // a loop is not brief code: its stub keeps the GC transition
        Assert.NotEqual(s.Method, twice.AsDelegate<Func<int, int>>().Method); // another shape, another stub
        Assert.Equal((5050L, 144L, 25L, 14), (t(100), s(12), r(4), twice.AsDelegate<Func<int, int>>()(7)));
        Assert.Throws<DivideByZeroException>(() => r(0)); // what each function raises comes through the shared stub
        Assert.Equal(0L, t(0));
    }

    [Fact]
    public void New_targets_in_a_loop_compile_once()
    {
        var functions = Enumerable.Range(0, 20).Select(_ => new CpuTarget().Compile(Triangle)).ToList();
        Assert.Single(functions.Select(AddressOf).Distinct());
        Assert.All(functions, f => Assert.Equal(5050L, f.AsDelegate<Func<long, long>>()(100)));
        // Another kind of target, or other options, compile their own.
        Assert.NotEqual(AddressOf(functions[0]), AddressOf(new CpuTarget().Compile(Triangle, new CompileOptions { Optimize = false })));
        functions.ForEach(f => f.Dispose());
    }

    [Fact]
    public void Targets_that_lay_a_class_out_differently_do_not_share()
    {
        static LayoutContext With(JitType payload)
        {
            var context = new LayoutContext();
            context.Use(JitClass.Define<Tagged>(new JitSpec { { "Payload", payload }, { "Tag", JitType.Int32 } }));
            return context;
        }
        CompiledFunction wide = new CpuTarget(With(JitType.Float64)).Compile(TaggedCode.TagOf);
        CompiledFunction wideToo = new CpuTarget(With(JitType.Float64)).Compile(TaggedCode.TagOf);
        CompiledFunction narrow = new CpuTarget(With(JitType.Int32)).Compile(TaggedCode.TagOf);
        Assert.Equal(AddressOf(wide), AddressOf(wideToo));
        Assert.NotEqual(AddressOf(wide), AddressOf(narrow));
        Assert.Equal(14, narrow.Invoke(7));
        Assert.Equal(14, wideToo.Invoke(7));
    }

    [Fact]
    public void The_shared_code_goes_with_its_last_handle()
    {
        CompiledFunction a = new CpuTarget().Compile(Triangle, new CompileOptions { RefcountPruning = RefcountPruning.None });
        CompiledFunction b = new CpuTarget().Compile(Triangle, new CompileOptions { RefcountPruning = RefcountPruning.None });
        Assert.Equal(AddressOf(a), AddressOf(b));
        var callB = b.AsDelegate<Func<long, long>>();
        a.Dispose();
        Assert.Throws<ObjectDisposedException>(() => a.Invoke(3L));
        Assert.Equal(6L, callB(3)); // the other handle still runs it
        Assert.False(((CpuCompiledFunction)b).CodeReleased);
        b.Dispose();
        Assert.Throws<ObjectDisposedException>(() => callB(3));
        for (int i = 0; i < 500 && !((CpuCompiledFunction)b).CodeReleased; i++)
            Thread.Sleep(10);
        Assert.True(((CpuCompiledFunction)b).CodeReleased);
        CompiledFunction c = new CpuTarget().Compile(Triangle, new CompileOptions { RefcountPruning = RefcountPruning.None });
        Assert.False(((CpuCompiledFunction)c).CodeReleased); // compiled again: a new module
        Assert.Equal(6L, c.Invoke(3L));
        c.Dispose();
    }
}
