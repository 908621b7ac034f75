using System;

namespace Corpus;

// Functions as values, specialised: static lambdas and method groups passed to Func/Action and user
// delegate parameters (through two levels, in loops, to generic methods), delegate locals, lambdas that
// capture variables (closures NRT counts, sharing the variables with the method), local functions that
// capture (by reference) and that do not, and function pointers (&Method, calli).
public delegate double Transform(double x);

public static class Functions
{
    internal static double Integrate(Func<double, double> f, double a, double b, int n)
    {
        double h = (b - a) / n, s = 0;
        for (int i = 0; i < n; i++)
            s += f(a + (i + 0.5) * h);
        return s * h;
    }

    internal static double Twice(Func<double, double> f, double x) => f(f(x));

    internal static double Outer(Func<double, double> f, double x) => Twice(f, x) + Integrate(f, 0, x, 8);

    internal static void ForEach(int[] a, Action<int[], int> body)
    {
        for (int i = 0; i < a.Length; i++)
            body(a, i);
    }

    internal static T Reduce<T>(T[] a, T seed, Func<T, T, T> f)
    {
        T acc = seed;
        foreach (T v in a)
            acc = f(acc, v);
        return acc;
    }

    internal static double ApplyTransform(Transform t, double x) => t(x) - t(-x);

    static double Square(double x) => x * x;

    static int Cube(int x) => unchecked(x * x * x);

    public static double AreaUnderSquare(int n) => Integrate(static x => x * x, 0, 1, Math.Clamp(n, 1, 1000));

    public static double MethodGroup(double x) => Twice(Square, x) + Outer(Math.Sqrt, Math.Abs(x));

    public static double TwoLambdas(double x) => Twice(static v => v + 1, x) * Twice(static v => v * 0.5, x);

    public static double ThroughTwoLevels(double x) => Outer(static v => v * 3 - 1, x);

    public static int ActionOverArray(int[] a)
    {
        ForEach(a, static (values, i) => values[i] = unchecked(values[i] * 2 + i));
        int s = 0;
        foreach (int v in a)
            s = unchecked(s + v);
        return s;
    }

    public static long GenericReduce(long[] a) => Reduce(a, 1L, static (x, y) => unchecked(x * 31 + y));

    public static double GenericReduceDoubles(double[] a) => Reduce(a, 0.0, Math.Max);

    public static double UserDelegate(double x) => ApplyTransform(static v => v * v * v, x) + ApplyTransform(Math.Sin, x);

    public static int DelegateLocal(int[] a)
    {
        Func<int, int> f = Cube;
        int s = 0;
        foreach (int v in a)
            s = unchecked(s + f(v));
        return s;
    }

    public static double LocalFunctions(double[] xs, double a, double b)
    {
        double Poly(double x) => a * x * x + b; // captures a and b by reference
        static double Half(double x) => x / 2;
        double s = 0;
        foreach (double x in xs)
            s += Poly(x) - Half(x);
        b = 1; // the local function sees the change
        return s + Poly(1);
    }

    public static int RecursiveLocalFunction(int n)
    {
        int Fib(int k) => k < 2 ? k : Fib(k - 1) + Fib(k - 2);
        return Fib(Math.Clamp(n, 0, 20));
    }

    public static double CapturingLambda(double k, int n) => Integrate(x => k * x * x, 0, 1, Math.Clamp(n, 1, 200));

    public static int LambdaSharesItsVariables(int[] a)
    {
        int count = 0, seen = 0;
        Action<int> add = v => { count = unchecked(count + v); seen++; };
        foreach (int v in a)
            add(v);
        count = unchecked(count * 3); // the lambda sees it: one variable, in its closure
        add(1);
        return unchecked(count + seen * 1000);
    }

    public static double LambdaOverAnArray(double[] a, int i)
    {
        Func<int, double> at = j => a[j] * 2; // reads through the captured array: bounds checked as .NET's
        return at(i) + at(0);
    }

    public static long NestedClosures(int n, long k)
    {
        long total = 0;
        for (int i = 0; i < (n & 7); i++)
        {
            int step = i; // a closure per iteration, holding the outer one
            Func<long, long> f = v => unchecked(v * k + step + total);
            total = f(i);
        }
        return total;
    }

    public static int LambdaMadeInALoop(int[] a, int k)
    {
        int total = 0;
        for (int i = 0; i < a.Length; i++)
        {
            Func<int, int> f = v => unchecked(v * k); // captures only k: the C# compiler caches this delegate in k's closure
            total = unchecked(total + f(a[i]));
        }
        return total;
    }

    public static double GenericWithClosure(double[] a, double offset) => Reduce(a, 0.0, (x, y) => x + y + offset);

    public static unsafe double FunctionPointer(double x)
    {
        delegate*<double, double> f = &Square;
        delegate*<int, int> g = &Cube;
        return f(x) + g((int)Math.Clamp(x, -100, 100)) + Apply(&Square, x);
    }

    static unsafe double Apply(delegate*<double, double> f, double x) => f(f(x));
}
