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

    /// <summary>A kernel that takes its function from the host: compiled for each function launched with.</summary>
    public static void MapWith(Index1D i, float[] y, Func<float, float> f) => y[i] = f(y[i]);

    /// <summary>A kernel that takes a function pointer from the host (<c>(nint)&amp;Method</c>).</summary>
    public static unsafe void MapThrough(Index1D i, delegate*<float, float> f, float[] y) => y[i] = f(y[i]);

    /// <summary>A static lambda, as the host passes it.</summary>
    public static readonly Func<float, float> Affine = static v => v * 2 + 1;

    /// <summary><see cref="Square"/>'s address, as the host passes a function pointer.</summary>
    public static unsafe nint SquareAddress => (nint)(delegate*<float, float>)&Square;
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

    /// <summary>Kernels launched with functions from the host: a static lambda, a method group, a function pointer; a capturing lambda is refused.</summary>
    public static unsafe void HostFunctions(ITarget target)
    {
        float[] y = [.. Enumerable.Range(0, 40).Select(k => k - 20.5f)];
        float[] lambda = [.. y], group = [.. y], pointer = [.. y];
        target.Launch(GenericKernels.MapWith, y.Length, lambda, GenericKernels.Affine);
        target.Launch(GenericKernels.MapWith, y.Length, group, (Func<float, float>)MathF.Abs);
        target.Launch(GenericKernels.MapThrough, y.Length, GenericKernels.SquareAddress, pointer);
        Assert.Equal(y.Select(GenericKernels.Affine), lambda);
        Assert.Equal(y.Select(MathF.Abs), group);
        Assert.Equal(y.Select(v => v * v), pointer);
        float k = 3;
        var e = Assert.Throws<ArgumentException>(() => target.Launch(GenericKernels.MapWith, y.Length, y, (Func<float, float>)(v => v * k)));
        Assert.Contains("a lambda that captures variables", e.Message, StringComparison.Ordinal);
    }

    public static void Closure(ITarget target)
    {
        float[] y = [.. Enumerable.Range(0, 40).Select(k => k * 0.5f)], expected = [.. y.Select(v => v * 3f + 1)];
        target.Launch(GenericKernels.ScaleWithClosure, y.Length, y, 3f);
        Assert.Equal(expected, y);
    }
}
