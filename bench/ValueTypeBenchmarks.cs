using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;
using Targets.Parallel;

namespace Targets.Bench;

/// <summary>
/// The value-type workloads (issue 34), .NET running the C# as it is (baseline) against the cpu
/// target, and for the struct-array Prange loop the parallel target beside .NET's Parallel.For:
/// n-body over a Vec3 struct with operators, a Mandelbrot over System.Numerics.Complex, buckets of
/// structs that hold arrays.
/// </summary>
[Config(typeof(ShortConfig))]
public class ValueTypeBenchmarks
{
    const int Steps = 100_000, Size = 256, Limit = 200, Particles = 100_000, ParticleSteps = 100, Values = 1_000_000;
    CpuTarget? cpuTarget;
    ParallelTarget? parallelTarget;
    Func<int, double> nbody = null!;
    Func<int, int, long> mandelbrot = null!;
    Action<StructParticle[], int> step = null!;
    Func<int, long> buckets = null!;
    StructParticle[] particles = null!;

    [GlobalSetup]
    public void Setup()
    {
        cpuTarget = new CpuTarget();
        parallelTarget = new ParallelTarget();
        nbody = cpuTarget.Compile(ValueTypeWorkloads.NBody).AsDelegate<Func<int, double>>();
        mandelbrot = cpuTarget.Compile(ValueTypeWorkloads.MandelbrotComplex).AsDelegate<Func<int, int, long>>();
        step = parallelTarget.Compile(ValueTypeWorkloads.StepParticles).AsDelegate<Action<StructParticle[], int>>();
        Agreement.Check("NBody, Vec3 struct", [nbody(1000)], [ValueTypeWorkloads.NBody(1000)]);
        Agreement.Check("Mandelbrot, Complex", [mandelbrot(64, Limit)], [ValueTypeWorkloads.MandelbrotComplex(64, Limit)]);
        buckets = cpuTarget.Compile(ValueTypeWorkloads.Buckets).AsDelegate<Func<int, long>>();
        Agreement.Check("Buckets, structs with arrays", [buckets(10_000)], [ValueTypeWorkloads.Buckets(10_000)]);
        particles = ValueTypeWorkloads.Particles(Particles);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        cpuTarget?.Dispose();
        parallelTarget?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public double NBodyDotNet() => ValueTypeWorkloads.NBody(Steps);

    [Benchmark]
    public double NBodyCpu() => nbody(Steps);

    [Benchmark]
    public long MandelbrotDotNet() => ValueTypeWorkloads.MandelbrotComplex(Size, Limit);

    [Benchmark]
    public long MandelbrotCpu() => mandelbrot(Size, Limit);

    [Benchmark]
    public long BucketsDotNet() => ValueTypeWorkloads.Buckets(Values);

    [Benchmark]
    public long BucketsCpu() => buckets(Values);

    [Benchmark]
    public void ParticlesParallelFor() => ValueTypeWorkloads.StepParticlesNet(particles, ParticleSteps);

    [Benchmark]
    public void ParticlesParallel() => step(particles, ParticleSteps);
}
