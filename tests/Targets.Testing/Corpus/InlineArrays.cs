using System;
using System.Runtime.CompilerServices;

namespace Corpus;

[InlineArray(8)]
public struct Eight
{
    int first;

    [Helper]
    public int Sum()
    {
        int t = 0;
        foreach (int v in this)
            t += v;
        return t;
    }
}

[InlineArray(3)]
public struct ThreePoints
{
    Point first;
}

public struct Histogram
{
    public Eight Bins;
    public int Total;
}

// [InlineArray(n)] structs (C# 12's fixed-size buffers) in locals, parameters, struct fields and arrays: elements at
// constant indices, at indices computed at run time (IndexOutOfRangeException past the end, as .NET's span), foreach,
// spans and slices over them, elements that are structs, the struct's own members, copies by value, and
// .NET's layout (arrays of them shared with .NET).
public static class InlineArrays
{
    public static int ConstantIndices(int x)
    {
        Eight e = default;
        e[0] = x;
        e[7] = x * 3;
        e[3] = e[0] + e[7];
        return e[3] - e[1];
    }

    public static int ComputedIndices(int[] a, int k)
    {
        Eight e = default;
        for (int i = 0; i < a.Length; i++)
            e[i & 7] += a[i];
        return e[k & 7] * 31 + e[k];
    }

    public static int ForeachAndSpans(int[] a)
    {
        Eight e = default;
        for (int i = 0; i < 8 && i < a.Length; i++)
            e[i] = a[i];
        int t = 0;
        foreach (int v in e)
            t = t * 3 + v;
        Span<int> s = e;
        s[1..4].Fill(9);
        ReadOnlySpan<int> r = e;
        return t + r[2] + r.Slice(5).Length + e.Sum();
    }

    public static int StructElements(int x, int y)
    {
        ThreePoints p = default;
        p[0] = new Point(x, y);
        p[2].X = y;
        for (int i = 0; i < 3; i++)
            p[i].Y += i;
        return p[0].Manhattan + p[1].Y * 10 + p[2].X + p[2].Y;
    }

    static Eight Doubled(Eight e)
    {
        for (int i = 0; i < 8; i++)
            e[i] *= 2;
        return e;
    }

    public static int CopiedByValue(int x)
    {
        Eight e = default;
        e[5] = x;
        Eight twice = Doubled(e);
        return twice[5] - e[5];
    }

    public static int FieldOfAStruct(int[] a)
    {
        Histogram h = default;
        foreach (int v in a)
        {
            h.Bins[v & 7]++;
            h.Total++;
        }
        int most = 0;
        foreach (int c in h.Bins)
            most = Math.Max(most, c);
        return most * 1000 + h.Total;
    }

    public static long SharedWithDotnet(int n)
    {
        var all = new Eight[3];
        all[1][2] = n;
        all[2][7] = n + 1;
        long t = 0;
        for (int k = 0; k < all.Length; k++)
        {
            Eight e = all[k];
            t = t * 7 + e.Sum();
        }
        return t + all[2][7];
    }
}
