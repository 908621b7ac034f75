using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;
using Targets.Parallel;

namespace Targets.Bench;

/// <summary>
/// The parallel forms of the workloads (src/Cli/ParallelWorkloads.cs): the same Prange method run
/// in order by .NET (baseline), by the cpu target and across cores by the parallel target, beside
/// .NET's Parallel.For on the same work.
/// </summary>
[Config(typeof(ShortConfig))]
public class ParallelBenchmarks
{
    const int N = 512, Size = 1024, Limit = 200;
    readonly double[,] a = WorkloadData.Matrix2D(N, (i, j) => WorkloadData.A(i, j, N)), b = WorkloadData.Matrix2D(N, WorkloadData.B), c = new double[N, N];
    readonly double[] aFlat = WorkloadData.MatrixFlat(N, (i, j) => WorkloadData.A(i, j, N)), bFlat = WorkloadData.MatrixFlat(N, WorkloadData.B), cFlat = new double[N * N];
    readonly double[] x = WorkloadData.Vector(10_000_000);
    readonly int[] counts = new int[Size * Size];
    CpuTarget? cpuTarget;
    ParallelTarget? parallelTarget;
    Action<double[,], double[,], double[,], int> matMulCpu = null!, matMulParallel = null!;
    Action<double[], double[], double[], int> matMulFlatCpu = null!, matMulFlatParallel = null!;
    Action<int, int, int[]> mandelbrotCpu = null!, mandelbrotParallel = null!;
    Func<double[], double> sumCpu = null!, sumParallel = null!;

    [GlobalSetup]
    public void Setup()
    {
        cpuTarget = new CpuTarget();
        parallelTarget = new ParallelTarget();
        matMulCpu = cpuTarget.Compile(ParallelWorkloads.MatMul).AsDelegate<Action<double[,], double[,], double[,], int>>();
        matMulParallel = parallelTarget.Compile(ParallelWorkloads.MatMul).AsDelegate<Action<double[,], double[,], double[,], int>>();
        matMulFlatCpu = cpuTarget.Compile(ParallelWorkloads.MatMulFlat).AsDelegate<Action<double[], double[], double[], int>>();
        matMulFlatParallel = parallelTarget.Compile(ParallelWorkloads.MatMulFlat).AsDelegate<Action<double[], double[], double[], int>>();
        var flatExpected = new double[N * N];
        ParallelWorkloads.MatMulFlat(aFlat, bFlat, flatExpected, N);
        matMulFlatParallel(aFlat, bFlat, cFlat, N);
        Agreement.Check("MatMulFlat, prange", cFlat, flatExpected);
        mandelbrotCpu = cpuTarget.Compile(ParallelWorkloads.Mandelbrot).AsDelegate<Action<int, int, int[]>>();
        mandelbrotParallel = parallelTarget.Compile(ParallelWorkloads.Mandelbrot).AsDelegate<Action<int, int, int[]>>();
        sumCpu = cpuTarget.Compile(ParallelWorkloads.SumOfSquares).AsDelegate<Func<double[], double>>();
        sumParallel = parallelTarget.Compile(ParallelWorkloads.SumOfSquares).AsDelegate<Func<double[], double>>();
        Agreement.Check("SumOfSquares, prange", [sumParallel(x)], [ParallelWorkloads.SumOfSquares(x)]);
        var expected = new int[Size * Size];
        ParallelWorkloads.Mandelbrot(Size, Limit, expected);
        mandelbrotParallel(Size, Limit, counts);
        Agreement.Check("Mandelbrot, prange", counts.Select(v => (double)v).ToArray(), expected.Select(v => (double)v).ToArray());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        cpuTarget?.Dispose();
        parallelTarget?.Dispose();
    }

    [Benchmark]
    public void MatMulDotNet() => ParallelWorkloads.MatMul(a, b, c, N);

    [Benchmark]
    public void MatMulParallelFor() => ParallelWorkloads.MatMulNet(a, b, c, N);

    [Benchmark]
    public void MatMulCpu() => matMulCpu(a, b, c, N);

    [Benchmark]
    public void MatMulParallel() => matMulParallel(a, b, c, N);

    [Benchmark]
    public void MatMulFlatDotNet() => ParallelWorkloads.MatMulFlat(aFlat, bFlat, cFlat, N);

    [Benchmark]
    public void MatMulFlatParallelFor() => ParallelWorkloads.MatMulFlatNet(aFlat, bFlat, cFlat, N);

    [Benchmark]
    public void MatMulFlatCpu() => matMulFlatCpu(aFlat, bFlat, cFlat, N);

    [Benchmark]
    public void MatMulFlatParallel() => matMulFlatParallel(aFlat, bFlat, cFlat, N);

    [Benchmark]
    public void MandelbrotDotNet() => ParallelWorkloads.Mandelbrot(Size, Limit, counts);

    [Benchmark]
    public void MandelbrotParallelFor() => ParallelWorkloads.MandelbrotNet(Size, Limit, counts);

    [Benchmark]
    public void MandelbrotCpu() => mandelbrotCpu(Size, Limit, counts);

    [Benchmark]
    public void MandelbrotParallel() => mandelbrotParallel(Size, Limit, counts);

    [Benchmark]
    public double SumDotNet() => ParallelWorkloads.SumOfSquares(x);

    [Benchmark]
    public double SumParallelFor() => ParallelWorkloads.SumOfSquaresNet(x);

    [Benchmark]
    public double SumCpu() => sumCpu(x);

    [Benchmark]
    public double SumParallel() => sumParallel(x);
}
