#pragma warning disable CA1051 // jit classes are made of public fields

namespace Targets.Cpu.Tests;

/// <summary>A jit class whose field brief code reads.</summary>
[JitClass]
public sealed class BriefCell
{
    public int Count;

    public BriefCell(int count) => Count = count;
}

/// <summary>Methods on either side of <see cref="Targets.Llvm.BriefCode"/>'s line.</summary>
public static class BriefMethods
{
    public static int Add(int a, int b) => a + b;
    public static long Checked(long a) => checked(a * 3 + 1);
    public static int Divide(int a, int b) => a / b;
    public static int Element(int[] a, int i) => a[i];
    public static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);
    public static int Pick(int x) => x switch { 0 => 10, 1 => 20, 2 => 30, 5 => 7, _ => -1 };
    static int Helper(int x) => x * x - 1;
    public static int Twice(int x) => Helper(x) * 2;
    public static long Refuse(long n) => n >= 0 ? throw new ArgumentException("Only negative numbers, please.", nameof(n)) : -n;
    public static int FieldOf(BriefCell c) => c.Count * 2 + 1;

    public static long Sum(long[] xs)
    {
        long s = 0;
        foreach (long x in xs)
            s += x;
        return s;
    }

    public static int[] Squares(int n)
    {
        var r = new int[n];
        for (int i = 0; i < n; i++)
            r[i] = i * i;
        return r;
    }

    public static long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
    public static void Clear(int[] a) => Array.Clear(a);
}

/// <summary>
/// Brief code — no loops, recursion, bulk copies or calls out of its module — is called without the GC
/// transition, and behaves exactly as before: the same results and the same exceptions as .NET; anything
/// else keeps the transition.
/// </summary>
public sealed class BriefCodeTests : NrtLeakCheck
{
    static CpuCompiledFunction Compile(CpuTarget target, Delegate method) => (CpuCompiledFunction)target.Compile(method);

    [Fact]
    public void Straight_line_code_is_brief_and_agrees_with_dotnet_on_results_and_exceptions()
    {
        using var target = new CpuTarget();
        CpuCompiledFunction add = Compile(target, BriefMethods.Add), check = Compile(target, BriefMethods.Checked),
            divide = Compile(target, BriefMethods.Divide), element = Compile(target, BriefMethods.Element),
            hypot = Compile(target, BriefMethods.Hypot), pick = Compile(target, BriefMethods.Pick), twice = Compile(target, BriefMethods.Twice),
            refuse = Compile(target, BriefMethods.Refuse), fieldOf = Compile(target, BriefMethods.FieldOf);
        Assert.All(new[] { add, check, divide, element, hypot, pick, twice, refuse, fieldOf }, f => Assert.True(f.CallsWithoutTransition, f.Inspect(Stage.OptimizedLlvm)));

        var addCall = add.AsDelegate<Func<int, int, int>>();
        Assert.Equal(BriefMethods.Add(int.MaxValue, 1), addCall(int.MaxValue, 1));
        Assert.Equal(BriefMethods.Add(-7, 4), (int)add.Invoke(-7, 4)!);
        var checkCall = check.AsDelegate<Func<long, long>>();
        Assert.Equal(BriefMethods.Checked(100), checkCall(100));
        Assert.Throws<OverflowException>(() => checkCall(long.MaxValue / 2));
        var divideCall = divide.AsDelegate<Func<int, int, int>>();
        Assert.Equal(BriefMethods.Divide(-9, 2), divideCall(-9, 2));
        Assert.Throws<DivideByZeroException>(() => divideCall(1, 0));
        Assert.Throws<OverflowException>(() => divideCall(int.MinValue, -1));
        var elementCall = element.AsDelegate<Func<int[], int, int>>();
        int[] data = [4, 5, 6];
        Assert.Equal(6, elementCall(data, 2));
        Assert.Throws<IndexOutOfRangeException>(() => elementCall(data, 3));
        Assert.Equal(BriefMethods.Hypot(3, 4), hypot.AsDelegate<Func<double, double, double>>()(3, 4));
        var pickCall = pick.AsDelegate<Func<int, int>>();
        Assert.All(Enumerable.Range(-1, 8), x => Assert.Equal(BriefMethods.Pick(x), pickCall(x)));
        Assert.Equal(BriefMethods.Twice(9), twice.AsDelegate<Func<int, int>>()(9));
        var refuseCall = refuse.AsDelegate<Func<long, long>>();
        Assert.Equal(5, refuseCall(-5));
        var refused = Assert.Throws<ArgumentException>(() => refuseCall(5));
        Assert.Equal(Assert.Throws<ArgumentException>(() => BriefMethods.Refuse(5)).Message, refused.Message);
        using (JitObject counter = target.New(JitClass.Define<BriefCell>(), 20))
            Assert.Equal(41, fieldOf.AsDelegate<Func<JitObject, int>>()(counter));
    }

    [Fact]
    public void Loops_allocation_recursion_and_bulk_clears_keep_the_transition()
    {
        using var target = new CpuTarget();
        CpuCompiledFunction sum = Compile(target, BriefMethods.Sum), squares = Compile(target, BriefMethods.Squares),
            fib = Compile(target, BriefMethods.Fib), clear = Compile(target, BriefMethods.Clear);
        Assert.All(new[] { sum, squares, fib, clear }, f => Assert.False(f.CallsWithoutTransition, f.Inspect(Stage.OptimizedLlvm)));
        Assert.Equal(BriefMethods.Sum([1, 2, 3]), sum.AsDelegate<Func<long[], long>>()([1, 2, 3]));
        Assert.Equal(BriefMethods.Squares(5), squares.AsDelegate<Func<int, int[]>>()(5));
        Assert.Equal(BriefMethods.Fib(20), fib.AsDelegate<Func<int, long>>()(20));
        int[] cleared = [1, 2, 3];
        clear.AsDelegate<Action<int[]>>()(cleared);
        Assert.Equal([0, 0, 0], cleared);
    }
}
