using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Corpus;

// SIMD vectors as .NET users write them: Vector<T> (as many lanes as this process's .NET gives it), Vector64/128/256/512<T>
// over every lane type, made from a value, an array (with .NET's checks and messages), a span, one value per lane; the
// operators and the static classes' operations (Min/Max with NaN and ±0, Abs of MinValue, shifts by counts past the lane
// width, masks, ConditionalSelect, the All/Any comparisons, Equals with NaN), Sum and Dot bit for bit (pairwise, .NET's
// order), integer division lane by lane (DivideByZeroException, OverflowException), the indexer and GetElement/WithElement
// past the last lane, CopyTo into arrays and spans that are too short, reinterpretations, loops with scalar tails, and
// vectors held in memory: arrays of vectors, struct fields at .NET's offsets, views of floats as vectors.
public struct Particle
{
    public int Id;
    public Vector128<float> Position;
    public Vector256<double> Velocity;
}

public static class Simd
{
    public static float SumFloats(float[] a)
    {
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            acc += new Vector<float>(a, i);
        float sum = Vector.Sum(acc);
        for (; i < a.Length; i++)
            sum += a[i];
        return sum;
    }

    public static double DotDoubles(double[] a, double[] b)
    {
        int n = Math.Min(a.Length, b.Length), i = 0;
        var acc = Vector<double>.Zero;
        for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            acc += new Vector<double>(a, i) * new Vector<double>(b, i);
        double dot = Vector.Dot(acc, Vector<double>.One);
        for (; i < n; i++)
            dot += a[i] * b[i];
        return dot;
    }

    public static void ScaleInPlace(float[] a, float k)
    {
        var kv = new Vector<float>(k);
        int i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(a, i) * kv + Vector<float>.One).CopyTo(a, i);
        for (; i < a.Length; i++)
            a[i] = a[i] * k + 1;
    }

    public static int MaxInts(int[] a)
    {
        var m = new Vector<int>(int.MinValue);
        int i = 0;
        for (; i <= a.Length - Vector<int>.Count; i += Vector<int>.Count)
            m = Vector.Max(m, new Vector<int>(a.AsSpan(i)));
        int r = int.MinValue;
        for (int j = 0; j < Vector<int>.Count; j++)
            r = Math.Max(r, m[j]);
        for (; i < a.Length; i++)
            r = Math.Max(r, a[i]);
        return r;
    }

    public static float Elementwise128(float x, float y, float z, float w)
    {
        var a = Vector128.Create(x, y, z, w);
        var b = Vector128.Create(w, -0f, float.NaN, 2.5f);
        Vector128<float> min = Vector128.Min(a, b), max = Vector128.Max(a, b);
        Vector128<float> r = (a + b) * 3f - b / 2f + Vector128.Abs(a) - Vector128.Sqrt(Vector128.Abs(b)) + Vector128.Floor(a) * Vector128.Ceiling(b);
        return Vector128.Sum(min) * 2 + Vector128.Sum(max) * 3 + Vector128.Dot(r, Vector128.Create(1f, 2f, 4f, 8f)) + min.GetElement(1) + max.ToScalar()
            + (1 / min.GetElement(1) > 0 ? 100 : -100) + (1 / max.GetElement(1) > 0 ? 1000 : -1000);
    }

    public static double Elementwise256(double x, double y)
    {
        var a = Vector256.Create(x, y, -x, 0.0);
        var b = Vector256.Create(y, x, double.PositiveInfinity, -0.0);
        Vector256<double> c = Vector256.Negate(a) + Vector256.Multiply(a, b) - Vector256.Divide(b, 3.0) + -Vector256.Max(a, b);
        return Vector256.Sum(c) + Vector256.Dot(a, b) + c[0] * 5 + c.GetElement(3) + Vector256.Sum(Vector256.Min(a, b));
    }

    public static int Integers(int x, int y)
    {
        var a = Vector128.Create(x, y, int.MinValue, -1);
        var b = Vector128.Create(y, x, -1, 3);
        Vector128<int> r = (a + b) * b - (a & b) + (a | ~b) ^ Vector128.AndNot(a, b) + Vector128.Abs(a) + Vector128.Min(a, b) * 3 - Vector128.Max(a, b);
        return Vector128.Sum(r) + Vector128.Sum(a << y) + Vector128.Sum(a >> x) * 7 + Vector128.Sum(a >>> (y + 1)) * 11
            + Vector128.Sum(Vector128.ShiftLeft(b, 33)) + Vector128.Dot(a, b);
    }

    public static long SmallLanes(sbyte s, short h, byte u, ushort w)
    {
        var sb = Vector128.Create(s);
        var sh = Vector128.Create(h);
        var ub = Vector128.Create(u);
        var uw = Vector128.Create(w);
        return Vector128.Sum(sb * sb + sb) + Vector128.Sum(sh >> 9) * 3 + Vector128.Sum(ub + Vector128.Create((byte)200)) * 5
            + Vector128.Sum(uw >> 3) * 7 + Vector128.Min(sb, Vector128<sbyte>.Zero).ToScalar() + Vector128.Max(ub, Vector128.Create((byte)128)).ToScalar()
            + Vector128.Abs(sb).ToScalar() + (Vector128.GreaterThanAll(uw, Vector128.Create((ushort)100)) ? 1000 : 0);
    }

    public static ulong UnsignedLanes(uint x, ulong y)
    {
        var a = Vector256.Create(x);
        var b = Vector256.Create(y);
        return Vector256.Sum(a - Vector256.Create(5u)) + Vector256.Sum(b >> 62) + Vector256.Max(a, Vector256.Create(1u << 31)).ToScalar()
            + (Vector256.LessThanAny(a, Vector256.Create(10u)) ? 1ul : 0) + Vector256.Sum(Vector256.Min(b, Vector256.Create(ulong.MaxValue - 1)) & Vector256.Create(255ul));
    }

    public static int Masks(float[] a)
    {
        if (a.Length < Vector<float>.Count)
            return -1;
        var v = new Vector<float>(a);
        Vector<int> positive = Vector.GreaterThan(v, Vector<float>.Zero);
        Vector<float> clipped = Vector.ConditionalSelect(positive, v, Vector<float>.Zero);
        Vector<int> mask = Vector.LessThanOrEqual(v, new Vector<float>(1f));
        return -Vector.Sum(positive) + (int)Vector.Sum(Vector.ConditionalSelect(mask, Vector<float>.One, clipped))
            + (Vector.EqualsAny(v, v) ? 10 : 0) + (Vector.EqualsAll(v, v) ? 100 : 0) + (v == v ? 1000 : 0) + (v != v ? 10000 : 0)
            + (v.Equals(v) ? 100000 : 0) + (Vector.GreaterThanOrEqualAll(v, new Vector<float>(float.NegativeInfinity)) ? 1000000 : 0);
    }

    public static int DivideInts(int x, int y)
    {
        var a = Vector128.Create(x, y, x + 1, 7);
        var b = Vector128.Create(y, 3, x, -2);
        return Vector128.Sum(a / b) + Vector128.Sum(a / 5);
    }

    public static float Lanes(float x, int lane)
    {
        var v = Vector256.Create(x, 1, 2, 3, 4, 5, 6, 7);
        Vector256<float> w = v.WithElement(lane & 7, -x);
        return w[lane & 7] + w.GetElement(7) + v.GetElement(lane);
    }

    public static float FromArray(float[] a, int start)
    {
        var v = new Vector<float>(a, start);
        return Vector.Sum(v) + Vector128.Create(a, start).GetElement(0) + Vector128.Create(a).ToScalar();
    }

    public static float FromSpan(float[] a, int start) =>
        Vector.Sum(new Vector<float>(a.AsSpan(start))) + Vector128.Sum(Vector128.Create((ReadOnlySpan<float>)a.AsSpan(start)));

    public static void CopyInto(float[] destination, int start, float x)
    {
        var v = new Vector<float>(x);
        v.CopyTo(destination, start);
        Vector128.Create(x + 1).CopyTo(destination);
        (v * 2).CopyTo(destination.AsSpan(destination.Length / 2));
    }

    public static int Reinterpret(float x)
    {
        var v = Vector128.Create(x, -x, 0f, float.NaN);
        Vector128<int> bits = v.AsInt32();
        Vector128<uint> cleared = Vector128.AsUInt32(bits & Vector128.Create(0x7fffffff));
        return Vector128.Sum(bits >> 23) ^ (int)Vector128.Sum(cleared) ^ Vector128.Sum(Vector128.As<float, int>(Vector128.Abs(v)));
    }

    public static long WideAndNarrow(long x, int y)
    {
        var wide = Vector512.Create(x) + Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var narrow = Vector64.Create(y, y ^ 5);
        return Vector512.Sum(wide * 3) + Vector512.Max(wide, Vector512.Create(y).AsInt64()).GetElement(2) + Vector64.Sum(narrow) * 11 + Vector64.Dot(narrow, narrow);
    }

    public static float AllBitsAndOnes(float x)
    {
        Vector<float> all = Vector<float>.AllBitsSet;
        Vector<float> picked = Vector.ConditionalSelect(Vector.AsVectorInt32(all), new Vector<float>(x), Vector<float>.One);
        return Vector.Sum(picked) + Vector.Sum(Vector.AsVectorSingle(Vector.AsVectorInt32(Vector<float>.One) & Vector.AsVectorInt32(all))) + (Vector.IsHardwareAccelerated ? 1 : 0);
    }

    // A lane past the last: ArgumentOutOfRangeException, whose parameter name is the JIT's choice (see SimdChecks.NamesIndex).
    // Vector256's and Vector512's indexers are read only within the lanes here: whether .NET's names the parameter
    // changes with the JIT's tier (the indexer inlined or not), so no single answer is .NET's.
    public static float LaneOfVector(float x, int lane) => new Vector<float>(x)[lane];

    public static float ElementOfVector(float x, int lane) => Vector.GetElement(new Vector<float>(x), lane);

    public static float WithElementOfVector(float x, int lane) => Vector.Sum(Vector.WithElement(Vector<float>.One, lane, x));

    public static int LaneOf64(int x, int lane) => Vector64.Create(x, -x)[lane] + Vector64.Create(x).WithElement(lane & 3, 5).GetElement(0);

    public static double LaneOf128(double x, int lane) => Vector128.Create(x, 2)[lane] + Vector128.Create(x).WithElement(lane, 1).ToScalar();

    public static long LaneOf512(long x, int lane) => Vector512.Create(x)[lane & 7] * 3 + Vector512.Create(x).GetElement(lane & 15) + Vector512<long>.Zero.WithElement(lane & 7, x).GetElement(7);

    // Conversions lane by lane, as C#'s casts: saturating, NaN to 0, unsigned sources read as unsigned.
    public static long ConvertLanes(float x, double y, uint u, long l)
    {
        Vector128<int> ints = Vector128.ConvertToInt32(Vector128.Create(x, -x, x * 3e9f, float.NaN));
        Vector128<uint> uints = Vector128.ConvertToUInt32(Vector128.Create(x, -1f, 5e9f, 0.5f));
        Vector256<long> longs = Vector256.ConvertToInt64(Vector256.Create(y, -y, y * 1e19, double.NaN));
        Vector256<ulong> ulongs = Vector256.ConvertToUInt64(Vector256.Create(y, -1.0, 2e19, 1.5));
        Vector<float> floats = Vector.ConvertToSingle(new Vector<uint>(u));
        Vector256<double> doubles = Vector256.ConvertToDouble(Vector256.Create(l, -l, (long)u, long.MinValue));
        return Vector128.Sum(ints) + (long)Vector128.Sum(uints) + Vector256.Sum(longs) + (long)(Vector256.Sum(ulongs) >> 3)
            + BitConverter.SingleToInt32Bits(floats[0]) + BitConverter.DoubleToInt64Bits(Vector256.Sum(doubles));
    }

    public static float ArrayOfVectors(float[] a)
    {
        var vectors = new Vector128<float>[a.Length / 4];
        for (int i = 0; i < vectors.Length; i++)
            vectors[i] = Vector128.Create(a, 4 * i);
        var acc = Vector128<float>.Zero;
        foreach (Vector128<float> v in vectors)
            acc += v * v;
        return Vector128.Sum(acc) + vectors.Length;
    }

    public static double StructsWithVectors(float[] a, int k)
    {
        var particles = new Particle[3];
        for (int i = 0; i < particles.Length; i++)
            particles[i] = new Particle { Id = i, Position = Vector128.Create(i < a.Length ? a[i] : k), Velocity = Vector256.Create((double)k, i, -i, 0.5) };
        particles[1].Position += Vector128.Create((float)k);
        particles[2].Velocity *= 2;
        double t = 0;
        foreach (Particle p in particles)
            t = t * 3 + p.Position.GetElement(p.Id) + Vector256.Sum(p.Velocity) + p.Id;
        return t;
    }

    public static float FloatsAsVectors(float[] a)
    {
        ReadOnlySpan<Vector256<float>> vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector256<float>>(a);
        var acc = Vector256<float>.Zero;
        foreach (Vector256<float> v in vectors)
            acc += v;
        return Vector256.Sum(acc) + vectors.Length;
    }
}
