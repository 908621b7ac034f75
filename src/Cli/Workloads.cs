using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>
/// The benchmark workloads: plain C# that .NET runs as it is and every target compiles. Both
/// <c>targets bench</c> and the BenchmarkDotNet suite in <c>bench/</c> run exactly these methods.
/// </summary>
/// <remarks>
/// <see cref="MethodImplOptions.AggressiveOptimization"/> makes .NET, the baseline, run fully
/// optimised code from the first call (no tier-0 or OSR code in a short measurement); it changes
/// nothing in the IL the targets compile.
/// </remarks>
internal static class Workloads
{
    /// <summary>c += a·b on <c>double[,]</c>, i-k-j order (the inner loop walks rows of b and c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MatMul2D(double[,] a, double[,] b, double[,] c, int n)
    {
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
            {
                double aik = a[i, k];
                for (int j = 0; j < n; j++)
                    c[i, j] += aik * b[k, j];
            }
    }

    /// <summary>c += a·b on row-major <c>double[]</c> of n·n elements, i-k-j order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MatMulFlat(double[] a, double[] b, double[] c, int n)
    {
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
            {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++)
                    c[i * n + j] += aik * b[k * n + j];
            }
    }

    /// <summary>Σ x[i]², summed in order (no reassociation, so .NET and the targets round alike).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumOfSquares(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
            sum += x[i] * x[i];
        return sum;
    }

    /// <summary>
    /// Allocates and drops a 16-double array per iteration: what one NRT allocation and release
    /// cost in compiled code (the garbage collector's in .NET).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double AllocateAndDrop(int iterations)
    {
        double total = 0;
        for (int i = 0; i < iterations; i++)
        {
            var scratch = new double[16];
            scratch[i & 15] = i;
            total += scratch[3];
        }
        return total;
    }

    static double Element(double[] x, int i) => x[i];

    /// <summary>Σ x[i] read through a helper call: refcounting must leave nothing in the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumThroughHelper(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
            sum += Element(x, i);
        return sum;
    }

    /// <summary>Σ x[i] read directly: the baseline of <see cref="SumThroughHelper"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumDirect(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
            sum += x[i];
        return sum;
    }

    /// <summary>
    /// binary-trees from the Benchmarks Game: a stretch tree, a long-lived tree, then many short-lived
    /// trees per depth; returns the sum of all node counts. Nodes are jit class instances.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long BinaryTrees(int maxDepth)
    {
        const int minDepth = 4;
        maxDepth = Math.Max(minDepth + 2, maxDepth);
        long total = BenchTree.Make(maxDepth + 1).Check();
        BenchTree longLived = BenchTree.Make(maxDepth);
        for (int depth = minDepth; depth <= maxDepth; depth += 2)
        {
            int iterations = 1 << (maxDepth - depth + minDepth);
            for (int i = 0; i < iterations; i++)
                total += BenchTree.Make(depth).Check();
        }
        return total + longLived.Check();
    }

    /// <summary>
    /// <paramref name="count"/> particles, built here as a linked list of jit class instances, each
    /// stepped <paramref name="steps"/> times: one method call on an instance per particle per step.
    /// Returns the sum of the final positions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Particles(int count, int steps)
    {
        const double dt = 0.001;
        BenchParticle? head = null;
        for (int i = 0; i < count; i++)
            head = new BenchParticle(i % 100 * 0.01, 1 + i % 7 * 0.25, (i % 13 - 6) * 0.25, 0, head);
        for (int s = 0; s < steps; s++)
            for (BenchParticle? p = head; p != null; p = p.Next)
                p.Step(dt);
        double sum = 0;
        for (BenchParticle? p = head; p != null; p = p.Next)
            sum += p.X + p.Y;
        return sum;
    }

    /// <summary>
    /// <paramref name="rounds"/> times: a linked list of <paramref name="length"/> jit class nodes built
    /// front to back, walked (<c>for (p = head; p != null; p = p.Next)</c>) summing its values, and
    /// dropped; returns the sum of every walk.
    /// </summary>
    internal static long LinkedList(int length, int rounds)
    {
        long total = 0;
        for (int r = 0; r < rounds; r++)
        {
            BenchLink? head = null;
            for (int i = 0; i < length; i++)
                head = new BenchLink(i + r, head);
            for (BenchLink? p = head; p != null; p = p.Next)
                total += p.Value;
        }
        return total;
    }

    /// <summary>
    /// n-body from the Benchmarks Game: the Sun and the four gas giants as an array of jit class
    /// instances, momentum offset, <paramref name="steps"/> steps of 0.01 days (each reads every pair of
    /// elements into variables and writes their velocities), then the energy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double NBody(int steps)
    {
        const double pi = 3.141592653589793, solarMass = 4 * pi * pi, daysPerYear = 365.24;
        BenchBody[] bodies =
        [
            new BenchBody(0, 0, 0, 0, 0, 0, solarMass),
            new BenchBody(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
                1.66007664274403694e-03 * daysPerYear, 7.69901118419740425e-03 * daysPerYear, -6.90460016972063023e-05 * daysPerYear, 9.54791938424326609e-04 * solarMass),
            new BenchBody(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
                -2.76742510726862411e-03 * daysPerYear, 4.99852801234917238e-03 * daysPerYear, 2.30417297573763929e-05 * daysPerYear, 2.85885980666130812e-04 * solarMass),
            new BenchBody(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
                2.96460137564761618e-03 * daysPerYear, 2.37847173959480950e-03 * daysPerYear, -2.96589568540237556e-05 * daysPerYear, 4.36624404335156298e-05 * solarMass),
            new BenchBody(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
                2.68067772490389322e-03 * daysPerYear, 1.62824170038242295e-03 * daysPerYear, -9.51592254519715870e-05 * daysPerYear, 5.15138902046611451e-05 * solarMass),
        ];
        double px = 0, py = 0, pz = 0;
        foreach (BenchBody b in bodies)
        {
            px += b.Vx * b.Mass;
            py += b.Vy * b.Mass;
            pz += b.Vz * b.Mass;
        }
        bodies[0].Vx = -px / solarMass;
        bodies[0].Vy = -py / solarMass;
        bodies[0].Vz = -pz / solarMass;
        for (int s = 0; s < steps; s++)
            Advance(bodies, 0.01);
        double e = 0;
        for (int i = 0; i < bodies.Length; i++)
        {
            BenchBody bi = bodies[i];
            e += 0.5 * bi.Mass * (bi.Vx * bi.Vx + bi.Vy * bi.Vy + bi.Vz * bi.Vz);
            for (int j = i + 1; j < bodies.Length; j++)
            {
                BenchBody bj = bodies[j];
                double dx = bi.X - bj.X, dy = bi.Y - bj.Y, dz = bi.Z - bj.Z;
                e -= bi.Mass * bj.Mass / Math.Sqrt(dx * dx + dy * dy + dz * dz);
            }
        }
        return e;
    }

    /// <summary>One n-body step as a delegate (the "Compile latency, n-body step" row compiles it alone).</summary>
    internal static readonly Action<BenchBody[], double> AdvanceStep = Advance;

    static void Advance(BenchBody[] bodies, double dt)
    {
        for (int i = 0; i < bodies.Length; i++)
        {
            BenchBody bi = bodies[i];
            for (int j = i + 1; j < bodies.Length; j++)
            {
                BenchBody bj = bodies[j];
                double dx = bi.X - bj.X, dy = bi.Y - bj.Y, dz = bi.Z - bj.Z;
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = dt / (d2 * Math.Sqrt(d2));
                bi.Vx -= dx * bj.Mass * mag;
                bi.Vy -= dy * bj.Mass * mag;
                bi.Vz -= dz * bj.Mass * mag;
                bj.Vx += dx * bi.Mass * mag;
                bj.Vy += dy * bi.Mass * mag;
                bj.Vz += dz * bi.Mass * mag;
            }
        }
        foreach (BenchBody b in bodies)
        {
            b.X += dt * b.Vx;
            b.Y += dt * b.Vy;
            b.Z += dt * b.Vz;
        }
    }

    /// <summary>
    /// Constructs a <see cref="BenchAccumulator"/> and calls both its methods: the function whose
    /// define + compile + first call is the jit class compile latency.
    /// </summary>
    internal static double UseAccumulator(double a, double b)
    {
        var accumulator = new BenchAccumulator();
        accumulator.Add(a);
        accumulator.Add(b);
        return accumulator.Mean() + accumulator.Last;
    }

    /// <summary>The smallest call: what a typed delegate into compiled code costs.</summary>
    internal static int Add(int a, int b) => a + b;

    /// <summary>
    /// About twenty lines of mixed code (nested loops, branches, int and double arithmetic,
    /// conversions, a new array, System.Math) for compile latency: a truncated series per element,
    /// folded into a histogram.
    /// </summary>
    internal static double Polynomial(double[] x, int degree)
    {
        int[] histogram = new int[8];
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            double p = 0;
            for (int d = degree; d > 0; d--)
                p = p * v + 1.0 / d;
            if (p < 0)
                p = -p;
            else if (p > 1000)
                p = Math.Sqrt(p);
            int bucket = (int)(p * 10) % histogram.Length;
            histogram[bucket]++;
            total += Math.Max(p, v * 0.5);
        }
        for (int b = 0; b < histogram.Length; b++)
            total += histogram[b] * (b + 1);
        return total;
    }
}

/// <summary>A binary tree node of <see cref="Workloads.BinaryTrees"/>: a jit class with nullable children.</summary>
[JitClass]
internal sealed class BenchTree
{
    internal BenchTree? Left;
    internal BenchTree? Right;

    internal BenchTree(BenchTree? left, BenchTree? right)
    {
        Left = left;
        Right = right;
    }

    internal static BenchTree Make(int depth) => depth == 0 ? new BenchTree(null, null) : new BenchTree(Make(depth - 1), Make(depth - 1));

    internal int Check() => Left is null ? 1 : 1 + Left.Check() + Right!.Check();
}

/// <summary>A node of <see cref="Workloads.LinkedList"/>: a value and the next node.</summary>
[JitClass]
internal sealed class BenchLink
{
    internal long Value;
    internal BenchLink? Next;

    internal BenchLink(long value, BenchLink? next)
    {
        Value = value;
        Next = next;
    }
}

/// <summary>A two-field jit class for the host-box benchmarks.</summary>
[JitClass]
internal sealed class BenchPoint
{
    internal double X;
    internal double Y;

    public BenchPoint(double x, double y)
    {
        X = x;
        Y = y;
    }

    public double Length() => Math.Sqrt(X * X + Y * Y);
}

/// <summary>A body of <see cref="Workloads.NBody"/>.</summary>
[JitClass]
internal sealed class BenchBody(double x, double y, double z, double vx, double vy, double vz, double mass)
{
    internal double X = x;
    internal double Y = y;
    internal double Z = z;
    internal double Vx = vx;
    internal double Vy = vy;
    internal double Vz = vz;
    internal double Mass = mass;
}

/// <summary>
/// A particle of <see cref="Workloads.Particles"/>: a jit class linked to the next one (arrays of
/// jit class instances do not compile yet) whose <see cref="Step"/> falls under gravity and bounces
/// off the floor and the walls of the unit box.
/// </summary>
[JitClass]
internal sealed class BenchParticle
{
    internal double X;
    internal double Y;
    internal double Vx;
    internal double Vy;
    internal BenchParticle? Next;

    internal BenchParticle(double x, double y, double vx, double vy, BenchParticle? next)
    {
        X = x;
        Y = y;
        Vx = vx;
        Vy = vy;
        Next = next;
    }

    internal void Step(double dt)
    {
        Vy -= 9.81 * dt;
        X += Vx * dt;
        Y += Vy * dt;
        if (Y < 0)
        {
            Y = -Y;
            Vy = -Vy;
        }
        if (X < 0 || X > 1)
        {
            X = X < 0 ? -X : 2 - X;
            Vx = -Vx;
        }
    }
}

/// <summary>The 3-field, 2-method jit class of the jit class compile latency (<see cref="Workloads.UseAccumulator"/>).</summary>
[JitClass]
internal sealed class BenchAccumulator
{
    internal int Count;
    internal double Sum;
    internal double Last;

    internal void Add(double value)
    {
        Count++;
        Sum += value;
        Last = value;
    }

    internal double Mean() => Count == 0 ? 0 : Sum / Count;
}
