using System.Numerics;
using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>A 3-vector with operators: the struct n-body is written over.</summary>
internal struct Vec3(double x, double y, double z)
{
    public double X = x, Y = y, Z = z;

    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Vec3 operator *(double s, Vec3 a) => new(s * a.X, s * a.Y, s * a.Z);

    public readonly double Dot(Vec3 other) => X * other.X + Y * other.Y + Z * other.Z;
}

/// <summary>A particle in a struct array: position and velocity.</summary>
internal struct StructParticle
{
    public float X, Y, VX, VY;
}

/// <summary>A growable list of ints in a struct: an array it holds (counted by NRT in compiled code) and a count.</summary>
internal struct IntList
{
    public int[] Items;
    public int Count;

    public void Add(int value)
    {
        if (Items == null || Count == Items.Length)
        {
            var grown = new int[Count == 0 ? 4 : Count * 2];
            for (int i = 0; i < Count; i++)
                grown[i] = Items![i];
            Items = grown;
        }
        Items[Count++] = value;
    }
}

/// <summary>
/// The value-type workloads (issue 34): n-body over a <see cref="Vec3"/> struct with operators,
/// a Mandelbrot over <see cref="Complex"/>, buckets of structs that hold arrays, and a struct-array
/// step in a Prange loop. Each is plain
/// C# that .NET runs as it is; the struct ones must leave no struct in the inner loop (SROA).
/// </summary>
internal static class ValueTypeWorkloads
{
    /// <summary>n-body (the Benchmarks Game's five bodies) with positions and velocities as <c>Vec3[]</c>: <paramref name="steps"/> steps, then the energy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double NBody(int steps)
    {
        const double pi = 3.141592653589793, solarMass = 4 * pi * pi, daysPerYear = 365.24;
        Vec3[] position =
        [
            new(0, 0, 0),
            new(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01),
            new(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01),
            new(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01),
            new(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01),
        ];
        Vec3[] velocity =
        [
            new(0, 0, 0),
            daysPerYear * new Vec3(1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05),
            daysPerYear * new Vec3(-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05),
            daysPerYear * new Vec3(2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05),
            daysPerYear * new Vec3(2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05),
        ];
        double[] mass = [solarMass, 9.54791938424326609e-04 * solarMass, 2.85885980666130812e-04 * solarMass, 4.36624404335156298e-05 * solarMass, 5.15138902046611451e-05 * solarMass];
        var momentum = new Vec3(0, 0, 0);
        for (int i = 0; i < mass.Length; i++)
            momentum = momentum + mass[i] * velocity[i];
        velocity[0] = (-1 / solarMass) * momentum;
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < mass.Length; i++)
            {
                for (int j = i + 1; j < mass.Length; j++)
                {
                    Vec3 d = position[i] - position[j];
                    double d2 = d.Dot(d);
                    double magnitude = 0.01 / (d2 * Math.Sqrt(d2));
                    velocity[i] = velocity[i] - (mass[j] * magnitude) * d;
                    velocity[j] = velocity[j] + (mass[i] * magnitude) * d;
                }
            }
            for (int i = 0; i < mass.Length; i++)
                position[i] = position[i] + 0.01 * velocity[i];
        }
        double e = 0;
        for (int i = 0; i < mass.Length; i++)
        {
            e += 0.5 * mass[i] * velocity[i].Dot(velocity[i]);
            for (int j = i + 1; j < mass.Length; j++)
            {
                Vec3 d = position[i] - position[j];
                e -= mass[i] * mass[j] / Math.Sqrt(d.Dot(d));
            }
        }
        return e;
    }

    /// <summary>Total escape time of a size×size grid over [-2, 0.5]×[-1.25, 1.25], iterating z = z² + c on <see cref="Complex"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long MandelbrotComplex(int size, int limit)
    {
        long total = 0;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                var c = new Complex(-2.0 + 2.5 * x / size, -1.25 + 2.5 * y / size);
                Complex z = Complex.Zero;
                int n = 0;
                while (n < limit && z.Real * z.Real + z.Imaginary * z.Imaginary <= 4.0)
                {
                    z = z * z + c;
                    n++;
                }
                total += n;
            }
        }
        return total;
    }

    /// <summary>
    /// <paramref name="n"/> values hashed into 64 buckets, each an <see cref="IntList"/> element of a
    /// struct array that grows its own array (the replaced ones released), then a checksum of every
    /// bucket; the buckets and their arrays die with the array of structs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long Buckets(int n)
    {
        var buckets = new IntList[64];
        uint x = 2463534242;
        for (int i = 0; i < n; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buckets[x & 63].Add((int)(x >> 8));
        }
        long checksum = 0;
        for (int b = 0; b < buckets.Length; b++)
        {
            IntList bucket = buckets[b];
            for (int i = 0; i < bucket.Count; i++)
                checksum += bucket.Items[i] ^ i;
        }
        return checksum;
    }

    /// <summary><paramref name="steps"/> steps of every particle in a struct array, the particles split across cores (a Prange loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void StepParticles(StructParticle[] particles, int steps)
    {
        foreach (int i in Prange.Range(particles.Length))
            StepOne(particles, i, steps);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void StepOne(StructParticle[] particles, int i, int steps)
    {
        StructParticle p = particles[i];
        for (int s = 0; s < steps; s++)
        {
            p.VX -= 0.01f * p.X;
            p.VY -= 0.01f * p.Y;
            p.X += 0.01f * p.VX;
            p.Y += 0.01f * p.VY;
        }
        particles[i] = p;
    }

    internal static void StepParticlesNet(StructParticle[] particles, int steps) =>
        System.Threading.Tasks.Parallel.For(0, particles.Length, i => StepOne(particles, i, steps));

    /// <summary>The particles the struct-array row starts from.</summary>
    internal static StructParticle[] Particles(int n)
    {
        var particles = new StructParticle[n];
        for (int i = 0; i < n; i++)
            particles[i] = new StructParticle { X = i % 17 - 8, Y = i % 13 - 6, VX = (i % 5) * 0.25f, VY = -(i % 7) * 0.125f };
        return particles;
    }
}
