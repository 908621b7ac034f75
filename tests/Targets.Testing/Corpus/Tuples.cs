using System;

namespace Corpus;

// Value tuples: returns and parameters, deconstruction, names, tuple equality, swaps, nesting, 7
// elements and more (ValueTuple's TRest), tuples in arrays, and ValueTuple<byte, long>, whose fields
// the runtime reorders (Auto layout); KeyValuePair, compiled from .NET's IL like them.
public static class Tuples
{
    [Helper]
    public static (double Min, double Max) MinMax(double[] values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in values)
        {
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        return (lo, hi);
    }

    public static double Spread(double[] values)
    {
        var (lo, hi) = MinMax(values);
        return values.Length == 0 ? 0 : hi - lo;
    }

    public static double NamedElements(double[] values)
    {
        var range = MinMax(values);
        return range.Max * 2 + range.Min;
    }

    [Helper]
    public static int Combine((int A, int B) pair, (long, byte) other) => pair.A * 3 + pair.B + (int)other.Item1 + other.Item2;

    public static int TupleParameters(int a, int b, long c)
    {
        return Combine((a, b), (c & 0xFFFF, (byte)a));
    }

    public static int Swap(int a, int b)
    {
        (a, b) = (b, a);
        return a * 10 - b;
    }

    public static bool TupleEquality(int a, int b, int c)
    {
        var x = (a, b);
        var y = (a, c);
        return x == y || (x.a, 1) != (b, 1);
    }

    public static long SevenAndMore(int x)
    {
        var seven = (1, 2L, 3, 4.0, (byte)5, 6, x);
        var nine = (x, 2, 3, 4, 5, 6, 7, 8, x * 2); // the last two live in a nested ValueTuple
        return seven.Item7 + seven.Item2 + (long)seven.Item4 + nine.Item8 + nine.Item9 + nine.Item1;
    }

    public static long Nested(int a, long b)
    {
        var t = ((a, b), (b, a));
        t.Item1.Item2 += 1;
        return t.Item1.a + t.Item1.b * 3 + t.Item2.b;
    }

    public static long ReorderedLayout(byte small, long large, int n)
    {
        n &= 31;
        var items = new (byte Small, long Large)[n + 1];
        for (int i = 0; i < items.Length; i++)
            items[i] = ((byte)(small + i), large - i);
        long total = 0;
        foreach (var (s, l) in items)
            total += s * 7 + l;
        return total;
    }

    public static long KeyValuePairs(int n, long scale)
    {
        var pairs = new System.Collections.Generic.KeyValuePair<int, long>[n & 15];
        for (int i = 0; i < pairs.Length; i++)
            pairs[i] = new System.Collections.Generic.KeyValuePair<int, long>(i, i * scale);
        long total = 0;
        foreach (var pair in pairs)
            total += pair.Key + pair.Value;
        var (key, value) = pairs.Length > 0 ? pairs[^1] : default;
        return total + key * 7 + value;
    }

    public static int TupleInLoop(int n)
    {
        n &= 63;
        (int Fib, int Next) state = (0, 1);
        for (int i = 0; i < n; i++)
            state = (state.Next, state.Fib + state.Next);
        return state.Fib;
    }
}
