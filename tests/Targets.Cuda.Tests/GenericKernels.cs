#pragma warning disable CA1051 // the functor is a struct of public fields, as ILGPU's sample writes it

using System.Numerics;

namespace Targets.Cuda.Tests;

/// <summary>A user's kernel function interface, as in ILGPU's GenericKernel sample.</summary>
public interface IKernelFunction<T> where T : unmanaged
{
    T ComputeValue(int index, T value);
}

/// <summary>A struct functor: the kernel is compiled for it, its call inlined.</summary>
public struct LinearFunction : IKernelFunction<int>
{
    public int Slope;
    public readonly int ComputeValue(int index, int value) => Slope * index + value;
}

/// <summary>
/// Generic kernels and functions as values in kernels: a generic-math kernel launched through closed
/// instantiations, a kernel index passed on to a helper, a struct-functor kernel (ILGPU's GenericKernel
/// sample), a lambda passed to a helper and a function pointer. Shared by the cuda simulator tests, the
/// ptxas check, and the cpu and parallel launches (tests/Targets.Parallel.Tests links this file).
/// </summary>
public static class GenericKernels
{
    public static void Axpy<T>(Index1D i, T a, T[] x, T[] y) where T : INumber<T> => y[i] = a * x[i] + y[i];

    public static void AxpyFloats(Index1D i, float a, float[] x, float[] y) => Axpy(i, a, x, y);

    public static void Functor<TF, T>(Index1D i, T[] data, T value, TF f) where TF : struct, IKernelFunction<T> where T : unmanaged =>
        data[i] = f.ComputeValue(i, value);

    public static void MapWithLambda(Index1D i, float[] y) => Apply(i, y, static v => v * 2 + 1);

    static void Apply(Index1D i, float[] y, Func<float, float> f) => y[i] = f(y[i]);

    static float Square(float x) => x * x;

    /// <summary>A lambda that captures <paramref name="k"/>: its closure is counted by NRT (cpu, parallel); the device has no NRT.</summary>
    public static void ScaleWithClosure(Index1D i, float[] y, float k) => Apply(i, y, v => v * k + 1);

    public static unsafe void MapWithPointer(Index1D i, float[] y)
    {
        delegate*<float, float> f = &Square;
        y[i] = f(y[i]);
    }
}

/// <summary>The checks of <see cref="GenericKernels"/> on any target, against the same arithmetic in .NET.</summary>
public static class GenericKernelChecks
{
    public static void Axpy(ITarget target)
    {
        float[] x = [.. Enumerable.Range(0, 100).Select(k => k * 0.25f)], y = [.. Enumerable.Range(0, 100).Select(k => 1f - k)];
        float[] expected = [.. x.Zip(y, (a, b) => 3f * a + b)];
        float[] viaWrapper = [.. y], direct = [.. y];
        target.Launch(GenericKernels.AxpyFloats, x.Length, 3f, x, viaWrapper);
        target.Launch(GenericKernels.Axpy<float>, x.Length, 3f, x, direct);
        Assert.Equal(expected, viaWrapper);
        Assert.Equal(expected, direct);

        long[] lx = [.. Enumerable.Range(0, 50).Select(k => (long)k * 1_000_003)], ly = new long[50];
        target.Launch(GenericKernels.Axpy<long>, lx.Length, -7L, lx, ly);
        Assert.Equal(lx.Select(v => unchecked(-7L * v)), ly);
    }

    public static void Functor(ITarget target)
    {
        int[] data = new int[64];
        target.Launch(GenericKernels.Functor<LinearFunction, int>, data.Length, data, 5, new LinearFunction { Slope = 3 });
        Assert.Equal(Enumerable.Range(0, 64).Select(i => 3 * i + 5), data);
    }

    public static void FunctionsAsValues(ITarget target)
    {
        float[] y = [.. Enumerable.Range(0, 40).Select(k => k - 20.5f)];
        float[] lambda = [.. y], pointer = [.. y];
        target.Launch(GenericKernels.MapWithLambda, y.Length, lambda);
        target.Launch(GenericKernels.MapWithPointer, y.Length, pointer);
        Assert.Equal(y.Select(v => v * 2 + 1), lambda);
        Assert.Equal(y.Select(v => v * v), pointer);
    }

    public static void Closure(ITarget target)
    {
        float[] y = [.. Enumerable.Range(0, 40).Select(k => k * 0.5f)], expected = [.. y.Select(v => v * 3f + 1)];
        target.Launch(GenericKernels.ScaleWithClosure, y.Length, y, 3f);
        Assert.Equal(expected, y);
    }
}
