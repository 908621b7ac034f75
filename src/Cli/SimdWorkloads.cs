using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Targets.Cli;

/// <summary>
/// SIMD as .NET users write it, against .NET running the same C# (its JIT uses AVX2 or AVX-512 here): a
/// <see cref="Vector{T}"/> sum of floats with a scalar tail (the issue's <c>VSum</c>) and a <see cref="Vector256{T}"/>
/// dot product of doubles. Both sides sum the lanes in .NET's pairwise order, so they agree bit for bit.
/// </summary>
internal static class SimdWorkloads
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float VectorSum(float[] a)
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Dot256(double[] a, double[] b)
    {
        var acc = Vector256<double>.Zero;
        int i = 0;
        for (; i <= a.Length - 4; i += 4)
            acc += Vector256.Create(a, i) * Vector256.Create(b, i);
        double dot = Vector256.Sum(acc);
        for (; i < a.Length; i++)
            dot += a[i] * b[i];
        return dot;
    }
}
