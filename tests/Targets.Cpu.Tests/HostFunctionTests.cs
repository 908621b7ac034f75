using System.Linq.Expressions;
using Targets.Frontend;

namespace Targets.Cpu.Tests;

public static unsafe class HostFunctions
{
    public static double Square(double x) => x * x;

    public static double Cube(double x) => x * x * x;

    public static float SquareF(float x) => x * x;

    public static int Add(int a, int b) => a + b;

    public static int Max(int a, int b) => a > b ? a : b;

    public delegate int Op(int a, int b);

    public static int Fold(Op op, int seed, int[] values)
    {
        int s = seed;
        foreach (int v in values)
            s = op(s, v);
        return s;
    }

    public static long[] Map(Func<long, long> f, long[] values, Func<long, long> g)
    {
        var result = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = g(f(values[i]));
        return result;
    }

    public static double Apply(delegate*<double, double> f, double x) => f(x) + 1;

    public delegate double ApplyFunction(delegate*<double, double> f, double x);

    public static int Reduce(delegate*<int, int, int> op, int[] values)
    {
        int s = values[0];
        for (int i = 1; i < values.Length; i++)
            s = op(s, values[i]);
        return s;
    }

    public static void Fill(Index1D i, Func<int, int> f, int[] a) => a[i] = f(i);

    public static int Next(int x) => x + 1;
}

/// <summary>
/// Delegates and function pointers passed from the host to compiled code (issue 35, point 3's last
/// sentence and point 4): each set of methods passed gets code of its own, compiled on first use and
/// reused, with the calls inlined; static methods, static lambdas and .NET's own methods are accepted,
/// results equal .NET's; captured variables, instances, several methods in one delegate, dynamic
/// methods, null, a function pointer that is not &amp;Method of the entry's assembly are
/// <see cref="ArgumentException"/>s saying what is accepted. NRT balanced after each test.
/// </summary>
public sealed unsafe class HostFunctionTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    const string Accepted = "a static method or a lambda that captures nothing";

    [Fact]
    public void Invoke_takes_static_methods_static_lambdas_and_library_methods_and_gives_dotnet_results()
    {
        CompiledFunction integrate = Cpu.Compile(GenericCode.Integrate);
        Func<double, double>[] functions = [HostFunctions.Square, HostFunctions.Cube, static x => x / 3 + 1, Math.Sqrt, Math.Exp];
        foreach (Func<double, double> f in functions)
            Assert.Equal(GenericCode.Integrate(f, 0, 2, 1000), integrate.Invoke(f, 0.0, 2.0, 1000));
        Assert.Equal(HostFunctions.Fold(HostFunctions.Max, 0, [3, 9, 2]), Cpu.Compile(HostFunctions.Fold).Invoke((HostFunctions.Op)HostFunctions.Max, 0, new[] { 3, 9, 2 }));
    }

    [Fact]
    public void Each_set_of_functions_is_compiled_once_with_the_call_inlined()
    {
        var integrate = Assert.IsType<SpecialisingFunction>(Cpu.Compile(GenericCode.Integrate));
        Assert.Same(integrate, Cpu.Compile(GenericCode.Integrate));
        CompiledFunction square = integrate.For(FunctionArguments.Of(integrate.Method, [(Func<double, double>)HostFunctions.Square]));
        Assert.Same(square, integrate.For(FunctionArguments.Of(integrate.Method, [new Func<double, double>(HostFunctions.Square)])));
        Assert.NotSame(square, integrate.For(FunctionArguments.Of(integrate.Method, [(Func<double, double>)HostFunctions.Cube])));
        string optimized = square.Inspect(Stage.OptimizedLlvm);
        Assert.DoesNotContain("HostFunctions.Square", optimized, StringComparison.Ordinal); // inlined into the loop
        Assert.Contains("HostFunctions.Cube", integrate.Inspect(Stage.Ir), StringComparison.Ordinal); // the latest set's code
    }

    [Fact]
    public void A_typed_delegate_switches_between_functions_per_call()
    {
        var map = Cpu.Compile(HostFunctions.Map).AsDelegate<Func<Func<long, long>, long[], Func<long, long>, long[]>>();
        long[] values = [1, -2, 30, long.MaxValue / 4];
        Func<long, long> twice = static v => v * 2, negate = static v => -v;
        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(HostFunctions.Map(twice, values, negate), map(twice, values, negate));
            Assert.Equal(HostFunctions.Map(negate, values, twice), map(negate, values, twice));
            Assert.Equal(HostFunctions.Map(Math.Abs, values, twice), map(Math.Abs, values, twice));
        }
        var e = Assert.Throws<ArgumentException>(() => Cpu.Compile(HostFunctions.Map).AsDelegate<Func<Func<long, long>, long[], long[]>>());
        Assert.Contains("Expected a delegate type taking (Func`2, Int64[], Func`2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_pointers_are_passed_as_addresses_of_static_methods()
    {
        CompiledFunction apply = Cpu.Compile(HostFunctions.Apply);
        delegate*<double, double> square = &HostFunctions.Square, cube = &HostFunctions.Cube;
        Assert.Equal(HostFunctions.Apply(square, 3), apply.Invoke((nint)square, 3.0));
        HostFunctions.ApplyFunction typed = apply.AsDelegate<HostFunctions.ApplyFunction>();
        Assert.Equal(HostFunctions.Apply(cube, 3), typed(cube, 3));
        Assert.Equal(HostFunctions.Apply(square, 4), typed(square, 4));
        delegate*<int, int, int> add = &HostFunctions.Add;
        Assert.Equal(HostFunctions.Reduce(add, [1, 2, 3, 4]), Cpu.Compile(HostFunctions.Reduce).Invoke((nint)add, new[] { 1, 2, 3, 4 }));

        delegate*<float, float> wrong = &HostFunctions.SquareF;
        var e = Assert.Throws<ArgumentException>(() => apply.Invoke((nint)wrong, 1.0));
        Assert.Contains("is not the address of a static method", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => apply.Invoke((nint)12345, 1.0));
        e = Assert.Throws<ArgumentException>(() => apply.Invoke((Func<double, double>)HostFunctions.Square, 1.0));
        Assert.Contains("pass it as an IntPtr", e.Message, StringComparison.Ordinal);
    }

    sealed class Counter
    {
        public int Step = 2;

        public int Next(int x) => x + Step;
    }

    [Fact]
    public void What_compiled_code_cannot_run_is_an_argument_exception_saying_what_is_accepted()
    {
        CompiledFunction integrate = Cpu.Compile(GenericCode.Integrate);
        double k = 3;
        Func<double, double> capturing = x => x * k;
        var e = Assert.Throws<ArgumentException>(() => integrate.Invoke(capturing, 0.0, 1.0, 10));
        Assert.Contains("captures variables (k", e.Message, StringComparison.Ordinal); // the closure holds every variable a lambda of the method captures
        Assert.Contains(Accepted, e.Message, StringComparison.Ordinal);

        Func<double, double> multicast = (Func<double, double>)HostFunctions.Square + HostFunctions.Cube;
        Assert.Contains("multicast", Assert.Throws<ArgumentException>(() => integrate.Invoke(multicast, 0.0, 1.0, 10)).Message, StringComparison.Ordinal);

        Func<double, double> dynamic = Expression.Lambda<Func<double, double>>(Expression.Constant(1.0), Expression.Parameter(typeof(double))).Compile();
        Assert.Contains("dynamic method", Assert.Throws<ArgumentException>(() => integrate.Invoke(dynamic, 0.0, 1.0, 10)).Message, StringComparison.Ordinal);

        Assert.Contains("got null", Assert.Throws<ArgumentException>(() => integrate.Invoke(null, 0.0, 1.0, 10)).Message, StringComparison.Ordinal);
        Assert.Contains("takes 4 argument(s)", Assert.Throws<ArgumentException>(() => integrate.Invoke(0.0, 1.0, 10)).Message, StringComparison.Ordinal);

        // A lambda that captures nothing but whose body compiled code does not support: the body's error, with its line.
        var fold = Cpu.Compile(HostFunctions.Fold).AsDelegate<Func<HostFunctions.Op, int, int[], int>>();
        var unsupported = Assert.Throws<CompilationException>(() => fold((a, b) => a + new Counter().Step + b, 0, [1]));
        Assert.Equal("new Counter (object creation)", unsupported.Construct);
        Assert.EndsWith("HostFunctionTests.cs", unsupported.SourceFile, StringComparison.Ordinal);

        var counter = new Counter();
        e = Assert.Throws<ArgumentException>(() => Cpu.Launch(HostFunctions.Fill, 4, (Func<int, int>)counter.Next, new int[4]));
        Assert.Contains("bound to an instance of Counter", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_launched_with_a_function_runs_it_at_every_index()
    {
        var a = new int[100];
        Cpu.Launch(HostFunctions.Fill, a.Length, (Func<int, int>)HostFunctions.Next, a);
        Assert.Equal(Enumerable.Range(1, 100), a);
        Cpu.Launch(HostFunctions.Fill, a.Length, (Func<int, int>)(static i => i * i), a);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), a);
        Assert.Contains("takes 2 argument(s) after its index", Assert.Throws<ArgumentException>(() => Cpu.Launch(HostFunctions.Fill, 4, a)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_releases_every_set_and_compile_then_makes_new_code()
    {
        using var target = new CpuTarget();
        CompiledFunction integrate = target.Compile(GenericCode.Integrate);
        Assert.Contains("none has been yet", Assert.Throws<InvalidOperationException>(() => integrate.Inspect(Stage.Ir)).Message, StringComparison.Ordinal);
        var typed = integrate.AsDelegate<Func<Func<double, double>, double, double, int, double>>();
        Assert.Equal(GenericCode.Integrate(HostFunctions.Square, 0, 1, 8), typed(HostFunctions.Square, 0, 1, 8));
        integrate.Dispose();
        Assert.Throws<ObjectDisposedException>(() => typed(HostFunctions.Square, 0, 1, 8));
        Assert.Throws<ObjectDisposedException>(() => integrate.Invoke((Func<double, double>)HostFunctions.Cube, 0.0, 1.0, 8));
        CompiledFunction again = target.Compile(GenericCode.Integrate);
        Assert.NotSame(integrate, again);
        Assert.Equal(GenericCode.Integrate(HostFunctions.Cube, 0, 1, 8), again.Invoke((Func<double, double>)HostFunctions.Cube, 0.0, 1.0, 8));
    }
}
