namespace Targets.Cuda.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

[JitClass]
public abstract class KernelShape
{
    public float Size;

    protected KernelShape(float size) => Size = size;

    public abstract float Area();

    public float Doubled() => 2 * Area();
}

/// <summary>Sealed: a call on a variable of this class is direct, on every target, cuda included.</summary>
[JitClass]
public sealed class KernelSquare(float size) : KernelShape(size)
{
    public override float Area() => Size * Size;
}

[JitClass]
public sealed class KernelDisc(float size) : KernelShape(size)
{
    public override float Area() => 3.0f * Size * Size;
}

/// <summary>
/// Kernels over a jit-class hierarchy: instances of sealed derived classes with base fields set by the base's
/// constructor, an override called directly, and one that needs the instance's class (refused on cuda, where
/// instances are values without a class record). Shared by the cuda tests and the cpu and parallel launches.
/// </summary>
public static class HierarchyKernels
{
    public static void Direct(Index1D i, float[] x, float[] y)
    {
        var square = new KernelSquare(x[i]);
        var disc = new KernelDisc(x[i] + 1);
        y[i] = square.Area() + disc.Area() + square.Size;
    }

    /// <summary>The receiver is the abstract base: which Area runs depends on the instance's class.</summary>
    public static void Dispatched(Index1D i, float[] x, float[] y)
    {
        KernelShape shape = i % 2 == 0 ? new KernelSquare(x[i]) : new KernelDisc(x[i]);
        y[i] = shape.Doubled();
    }
}

/// <summary>The checks of <see cref="HierarchyKernels"/> on any target, against .NET over each index.</summary>
public static class HierarchyKernelChecks
{
    static readonly float[] X = [0.5f, 1, 2.25f, -3, 4, 7.5f];

    public static void Direct(ITarget target) => AgreesWithDotnet(target, HierarchyKernels.Direct);

    public static void Dispatched(ITarget target) => AgreesWithDotnet(target, HierarchyKernels.Dispatched);

    static void AgreesWithDotnet(ITarget target, Action<Index1D, float[], float[]> kernel)
    {
        float[] y = new float[X.Length], expected = new float[X.Length];
        for (int i = 0; i < X.Length; i++)
            kernel(new Index1D(i), X, expected);
        target.Launch(kernel, X.Length, X, y);
        Assert.Equal(expected, y);
    }
}
