using System;
using System.Numerics;

namespace Corpus;

// Generic methods and types, monomorphised: several instantiations of one method in one call graph,
// recursion through a generic method, generic structs and their members, constrained calls on
// struct type arguments (IComparable<T>, IEquatable<T>, a user's interface on a struct functor).
public static class Generics
{
    internal static T Identity<T>(T value) => value;

    internal static T Larger<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

    internal static T Max3<T>(T a, T b, T c) where T : IComparable<T> => Larger(Larger(a, b), c);

    internal static int CountEqual<T>(T[] items, T wanted) where T : IEquatable<T>
    {
        int n = 0;
        foreach (T item in items)
            if (item.Equals(wanted))
                n++;
        return n;
    }

    internal static T Power<T>(T x, int n) where T : INumber<T> => n <= 0 ? T.One : x * Power(x, n - 1);

    public static long Instantiations(int a, long b) => Identity(a) + Identity(b) + (Identity(a > 0) ? 1 : 0) + (long)Identity((double)a);

    public static double MaxOfThree(double a, double b, double c) => Max3(a, b, c);

    public static int MaxOfThreeInts(int a, int b, int c) => Max3(a, b, c) - Max3(c, b, a) + Max3(b, a, c);

    public static uint MaxOfThreeUnsigned(uint a, uint b, uint c) => Max3(a, b, c);

    public static int EqualCount(int[] items, int wanted) => CountEqual(items, wanted);

    public static int EqualDoubles(double[] items, double wanted) => CountEqual(items, wanted); // double.Equals: NaN equals NaN

    public static double Powers(double x, int n) => Power(x, n % 8);

    public static long IntegerPowers(long x, int n) => Power(x, n % 8) + Power((int)x, n % 5);

    public static int GenericStruct(int a, int b)
    {
        var p = new Pair<int>(a, b);
        var q = new Pair<long>(a, b);
        p.Swap();
        return p.Sum() + (int)q.Sum() + p.First;
    }

    public static double GenericStructOfDoubles(double a, double b) => new Pair<double>(a, b).Sum() * Pair<double>.Twice(b);

    public static int StructFunctor(int[] data, int factor) => Fold(data, new Scale { Factor = factor }) + Fold(data, new Offset { By = factor });

    public static double PointsEqual(double x, double y)
    {
        var points = new[] { new GenericPoint(x, y), new GenericPoint(y, x), new GenericPoint(x, x) };
        return CountEqual(points, new GenericPoint(x, y)) + Larger(new GenericPoint(x, y), new GenericPoint(y, x)).X;
    }

    internal static T Twice<T>(T x, Func<T, T> f) => f(f(x));

    internal static T AddTwiceEach<T>(T[] a, T k) where T : INumber<T>
    {
        T s = T.Zero;
        foreach (T v in a)
            s += Twice(v, u => u + k) + Twice(v, static u => u * (T.One + T.One)); // a generic closure and a generic static lambda
        return s;
    }

    public static int LambdasInGenericCode(int[] a, int k) => AddTwiceEach(a, k);

    public static double LambdasInGenericCodeOfDoubles(double[] a, double k) => AddTwiceEach(a, k);

    internal static int Fold<TF>(int[] data, TF f) where TF : struct, IStep
    {
        int acc = 0;
        foreach (int v in data)
            acc = f.Step(acc, v);
        return acc;
    }
}

public interface IStep { int Step(int acc, int value); }

public struct Scale : IStep { public int Factor; public readonly int Step(int acc, int value) => unchecked(acc + value * Factor); }

public struct Offset : IStep { public int By; public readonly int Step(int acc, int value) => unchecked(acc * 3 + value + By); }

public struct Pair<T> where T : INumber<T>
{
    public T First, Second;
    public Pair(T first, T second) { First = first; Second = second; }
    public readonly T Sum() => First + Second;
    public void Swap() => (First, Second) = (Second, First);
    public static T Twice(T v) => v + v;
}

public readonly struct GenericPoint : IEquatable<GenericPoint>, IComparable<GenericPoint>
{
    public readonly double X, Y;
    public GenericPoint(double x, double y) { X = x; Y = y; }
    public bool Equals(GenericPoint other) => X == other.X && Y == other.Y;
    public int CompareTo(GenericPoint other) => X.CompareTo(other.X) != 0 ? X.CompareTo(other.X) : Y.CompareTo(other.Y);
    public override bool Equals(object? obj) => obj is GenericPoint p && Equals(p);
    public override int GetHashCode() => HashCode.Combine(X, Y);
}
