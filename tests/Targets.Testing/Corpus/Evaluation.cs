using System;

namespace Corpus;

// Evaluation order and stack shapes: side effects inside indexers and compound assignments, chained
// assignment (dup), values left on the evaluation stack across branches (?: and && as arguments),
// static local functions, params arrays and array initializers.
public static class Evaluation
{
    public static int IncrementsInIndexers(int[] a)
    {
        if (a.Length < 4)
            return -1;
        int i = 0;
        a[i++] = a[i] + 10;
        a[i++] += i;
        a[++i] = i++ * 3;
        return i * 100 + a[0] + a[1] + a[3];
    }

    public static int ChainedAssignment(int[] a, int v)
    {
        int x, y;
        x = y = v * 2;
        if (a.Length >= 2)
            a[0] = a[1] = x + y;
        return x - y + (a.Length > 0 ? a[0] : 0);
    }

    public static int PostAndPreIncrementOrder(int x) => x++ + ++x * x-- - --x;

    public static long StackAcrossTernary(int a, int b, long c) => Math.Max(a, b > 0 ? b : -b) + (c < 0 ? c : c >> 1) * (a == b ? 2 : 3);

    public static double TernaryAsCallArgument(double x, bool flag) => Math.Pow(flag ? x : -x, x > 1 ? 2.0 : 0.5);

    public static int ShortCircuitAsArgument(int a, int b) => Math.Max(a > 0 && b > 0 ? 1 : 0, a < 0 || b < 0 ? 2 : -1) + Helper3(a, b != 0 && a % b == 0, b);

    public static int Helper3(int a, bool divisible, int b) => divisible ? a / (b | 1) : b;

    public static int SwitchInsideExpression(int x, int y) => x * 2 + (y & 3) switch { 0 => 1, 1 => x, 2 => -x, _ => y } - 1;

    public static int CheckedIncrementOfElement(int[] a)
    {
        if (a.Length == 0)
            return 0;
        checked
        {
            a[0]++;
            a[^1] += 1;
        }
        return a[0];
    }

    public static int StaticLocalFunction(int n)
    {
        return Twice(n) + Twice(Twice(n & 0xff));

        static int Twice(int v) => v * 2 + 1;
    }

    public static int ParamsArray(int a, int b) => SumAll(a, b, a ^ b, 7) + SumAll() + SumAll(a);

    public static int SumAll(params int[] values)
    {
        int s = 0;
        foreach (int v in values)
            s += v;
        return s * 31 + values.Length;
    }

    public static double SmallArrayInitializer(double x)
    {
        double[] c = new double[] { x, 2.0 };
        return c[0] * c[1];
    }

    public static double ConstantTableInitializer(int i)
    {
        double[] table = { 1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125 };
        return table[i & 7] * i;
    }

    public static int DivisionOrderOfExceptions(int a, int b, int[] arr) => arr[a & 0xff] / b;

    public static int ArgumentEvaluationOrder(int[] a)
    {
        int i = 0;
        return Combine(Next(a, ref i), Next(a, ref i), Next(a, ref i));
    }

    [Helper]
    public static int Next(int[] a, ref int i) => i < a.Length ? a[i++] : -(++i);

    public static int Combine(int x, int y, int z) => x * 10000 + y * 100 + z;

    public static long NestedTernaryMixedWidths(int a, long b, short c) => a > 0 ? (b > 0 ? a : b) : (c > 0 ? c : a + b);
}
