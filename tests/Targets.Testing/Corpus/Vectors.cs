using System;
using System.Numerics;

namespace Corpus;

// System.Numerics.Vector2, Vector3 and Vector4: constructors, operators, Dot, Length, Distance,
// Normalize, Cross, Min/Max/Abs/Clamp/SquareRoot and the static vectors, compiled through the
// library substitutes (their own IL is hardware intrinsics), bit for bit with x64 .NET.
public static class Vectors
{
    public static float Vector3Arithmetic(float x, float y, float z)
    {
        var a = new Vector3(x, y, z);
        var b = new Vector3(z, x, 1.5f);
        Vector3 c = (a + b) * 2f - b / 3f + 0.5f * a - -a;
        c /= new Vector3(1f, 2f, 4f);
        return c.X * 3 + c.Y * 5 + c.Z * 7;
    }

    public static float Vector3Geometry(float x, float y, float z)
    {
        var a = new Vector3(x, y, z);
        var b = new Vector3(y, z, x);
        Vector3 cross = Vector3.Cross(a, b);
        return Vector3.Dot(a, b) + a.Length() * 3 + a.LengthSquared() + Vector3.Distance(a, b) * 5
            + Vector3.DistanceSquared(a, b) + cross.X + cross.Y * 2 + cross.Z * 4 + Vector3.Normalize(a).Y;
    }

    public static float Vector3Elementwise(float x, float y, float z)
    {
        var a = new Vector3(x, y, z);
        var b = new Vector3(0.5f, -y, float.NaN);
        Vector3 min = Vector3.Min(a, b), max = Vector3.Max(a, b);
        Vector3 clamped = Vector3.Clamp(a, -Vector3.One, Vector3.One);
        Vector3 root = Vector3.SquareRoot(Vector3.Abs(a));
        return min.X + min.Y * 2 + max.X * 3 + max.Z * 5 + clamped.X * 7 + clamped.Y * 11 + root.Z * 13
            + (a == b ? 1 : 0) + (a != Vector3.Zero ? 17 : 0) + Vector3.UnitY.Y;
    }

    public static float Vector2And4(float x, float y, float z, float w)
    {
        var v2 = new Vector2(x, y);
        var v4 = new Vector4(x, y, z, w);
        var from3 = new Vector4(new Vector3(z, w, x), 2f);
        Vector4 sum = v4 + from3 * 0.25f;
        return Vector2.Dot(v2, v2 * 3f) + v2.Length() + Vector4.Dot(v4, from3) + sum.W + sum.X * 3 + Vector4.Normalize(v4).Z
            + Vector2.Distance(v2, Vector2.One) + new Vector3(v2, z).Z;
    }

    public static float ArrayOfVectors(int n, float scale)
    {
        n &= 31;
        var points = new Vector3[n];
        for (int i = 0; i < n; i++)
            points[i] = new Vector3(i * scale, i, -i);
        Vector3 total = Vector3.Zero;
        foreach (Vector3 p in points)
            total += p;
        return total.X + total.Y * 3 + total.Z * 5 + (n > 0 ? points[n - 1].Length() : 0);
    }
}
