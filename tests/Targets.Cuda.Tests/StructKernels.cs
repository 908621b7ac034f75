#pragma warning disable CA1051 // kernel structs are made of public fields, as ILGPU's samples' are
using System.Numerics;
using Xunit;

namespace Targets.Cuda.Tests;

/// <summary>ILGPU's SimpleStructures element: a struct made per index (its sample kernel writes one per thread).</summary>
public struct CustomDataType
{
    public int First;
    public long Second;
    public bool Odd;

    public CustomDataType(int value)
    {
        First = value;
        Second = (long)value * value;
        Odd = (value & 1) != 0;
    }
}

/// <summary>A particle: position and velocity, six floats.</summary>
public struct Particle
{
    public float X, Y, Z, VX, VY, VZ;
}

/// <summary>A box the particles stay in, passed to kernels by value.</summary>
public readonly struct Bounds(float min, float max)
{
    public readonly float Min = min, Max = max;

    public float Reflect(float x) => x < Min ? 2 * Min - x : x > Max ? 2 * Max - x : x;
}

public enum EdgeMode : byte { Reflect, Clamp }

/// <summary>A running statistic: what a block reduces in shared memory.</summary>
public struct Stat
{
    public float Sum;
    public int Count;
}

/// <summary>Kernels over structs, enums, tuples and Complex: every target runs them, the simulator against .NET, ptxas on their PTX.</summary>
public static class StructKernels
{
    public static void Init(Index1D i, CustomDataType[] data) => data[i] = new CustomDataType(i);

    public static void Step(Index1D i, Particle[] particles, float dt, Bounds bounds, EdgeMode mode)
    {
        ref Particle p = ref particles[i];
        p.X += p.VX * dt;
        p.Y += p.VY * dt;
        p.Z += p.VZ * dt;
        if (mode == EdgeMode.Reflect)
        {
            p.X = bounds.Reflect(p.X);
            p.Y = bounds.Reflect(p.Y);
            p.Z = bounds.Reflect(p.Z);
        }
        else
        {
            p.X = Math.Clamp(p.X, bounds.Min, bounds.Max);
            p.Y = Math.Clamp(p.Y, bounds.Min, bounds.Max);
            p.Z = Math.Clamp(p.Z, bounds.Min, bounds.Max);
        }
    }

    /// <summary>Per block, the sum and count of the positive inputs, reduced over a shared array of structs.</summary>
    public static void BlockStats(float[] input, Stat[] perBlock)
    {
        Stat[] partial = Cuda.SharedArray<Stat>(64);
        int t = Cuda.ThreadIdx.X, i = Cuda.BlockIdx.X * Cuda.BlockDim.X + t;
        float v = i < input.Length ? input[i] : 0f;
        partial[t] = new Stat { Sum = v > 0 ? v : 0, Count = v > 0 ? 1 : 0 };
        Cuda.SyncThreads();
        for (int stride = 32; stride > 0; stride /= 2)
        {
            if (t < stride)
            {
                partial[t].Sum += partial[t + stride].Sum;
                partial[t].Count += partial[t + stride].Count;
            }
            Cuda.SyncThreads();
        }
        if (t == 0)
            perBlock[Cuda.BlockIdx.X] = partial[0];
    }

    static (int Quotient, int Remainder) Divide(int a, int b) => (a / b, a % b);

    public static void Tuples(Index1D i, int[] values, int divisor)
    {
        var (q, r) = Divide(values[i], divisor);
        values[i] = q * 1000 + r;
    }

    public static void ComplexMandelbrot(Index2D p, int width, int height, int[] iterations)
    {
        var c = new Complex(-2.0 + 3.0 * p.X / width, -1.5 + 3.0 * p.Y / height);
        Complex z = Complex.Zero;
        int n = 0;
        while (n < 100 && z.Real * z.Real + z.Imaginary * z.Imaginary <= 4)
        {
            z = z * z + c;
            n++;
        }
        iterations[p.Y * width + p.X] = n;
    }
}

/// <summary>The struct kernels launched on a target and compared with .NET (each test project runs them on its targets).</summary>
public static class StructKernelChecks
{
    /// <summary>ILGPU's SimpleStructures sample: a struct written per index.</summary>
    public static void SimpleStructures(ITarget target)
    {
        var data = new CustomDataType[300];
        var expected = new CustomDataType[300];
        for (int i = 0; i < expected.Length; i++)
            StructKernels.Init(new Index1D(i), expected);
        target.Launch(StructKernels.Init, data.Length, data);
        Assert.Equal(expected, data);
    }

    static Particle[] MakeParticles(int n)
    {
        var random = new Random(7);
        var particles = new Particle[n];
        for (int i = 0; i < n; i++)
        {
            particles[i] = new Particle
            {
                X = (float)random.NextDouble(), Y = (float)random.NextDouble(), Z = (float)random.NextDouble(),
                VX = (float)random.NextDouble() * 4 - 2, VY = (float)random.NextDouble() * 4 - 2, VZ = (float)random.NextDouble() * 4 - 2,
            };
        }
        return particles;
    }

    /// <summary>Particles stepped in a struct array, with a struct and an enum passed by value.</summary>
    public static void Particles(ITarget target)
    {
        foreach (EdgeMode mode in new[] { EdgeMode.Reflect, EdgeMode.Clamp })
        {
            Particle[] particles = MakeParticles(1000), expected = [.. particles];
            var bounds = new Bounds(0.1f, 0.9f);
            for (int step = 0; step < 3; step++)
            {
                for (int i = 0; i < expected.Length; i++)
                    StructKernels.Step(new Index1D(i), expected, 0.05f, bounds, mode);
                target.Launch(StructKernels.Step, particles.Length, particles, 0.05f, bounds, mode);
            }
            Assert.Equal(expected, particles);
        }
    }

    /// <summary>Tuples and System.Numerics.Complex inside kernels.</summary>
    public static void TuplesAndComplex(ITarget target)
    {
        int[] values = [.. Enumerable.Range(-50, 200)], expected = [.. values];
        for (int i = 0; i < expected.Length; i++)
            StructKernels.Tuples(new Index1D(i), expected, 7);
        target.Launch(StructKernels.Tuples, values.Length, values, 7);
        Assert.Equal(expected, values);

        const int w = 33, h = 21;
        int[] iterations = new int[w * h], reference = new int[w * h];
        for (int x = 0; x < w; x++)
            for (int y = 0; y < h; y++)
                StructKernels.ComplexMandelbrot(new Index2D(x, y), w, h, reference);
        target.Launch(StructKernels.ComplexMandelbrot, (w, h), w, h, iterations);
        Assert.Equal(reference, iterations);
    }
}
