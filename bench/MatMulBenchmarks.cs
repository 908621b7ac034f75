using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Targets.Cli;
using Targets.Cpu;
using static Targets.Cli.WorkloadData;

namespace Targets.Bench;

/// <summary>
/// 512×512 double matrix multiply, i-k-j order, in both layouts: .NET running the C# (baseline)
/// against the cpu target's typed delegate over the same method. c accumulates across
/// invocations; the work per call does not change.
/// </summary>
[Config(typeof(ShortConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MatMulBenchmarks
{
    const int N = 512;
    readonly double[,] a2 = Matrix2D(N, (i, j) => A(i, j, N)), b2 = Matrix2D(N, B), c2 = new double[N, N];
    readonly double[] a1 = MatrixFlat(N, (i, j) => A(i, j, N)), b1 = MatrixFlat(N, B), c1 = new double[N * N];
    CpuTarget? target;
    Action<double[,], double[,], double[,], int> cpu2D = null!;
    Action<double[], double[], double[], int> cpuFlat = null!;

    [GlobalSetup]
    public void Setup()
    {
        target = new CpuTarget();
        cpu2D = target.Compile(Workloads.MatMul2D).AsDelegate<Action<double[,], double[,], double[,], int>>();
        cpuFlat = target.Compile(Workloads.MatMulFlat).AsDelegate<Action<double[], double[], double[], int>>();

        double[,] expected2 = new double[N, N], got2 = new double[N, N];
        Workloads.MatMul2D(a2, b2, expected2, N);
        cpu2D(a2, b2, got2, N);
        Agreement.Check("MatMul2D", Elements(got2), Elements(expected2));
        double[] expected1 = new double[N * N], got1 = new double[N * N];
        Workloads.MatMulFlat(a1, b1, expected1, N);
        cpuFlat(a1, b1, got1, N);
        Agreement.Check("MatMulFlat", got1, expected1);
    }

    [GlobalCleanup]
    public void Cleanup() => target?.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("double[,]")]
    public void DotNet2D() => Workloads.MatMul2D(a2, b2, c2, N);

    [Benchmark, BenchmarkCategory("double[,]")]
    public void Cpu2D() => cpu2D(a2, b2, c2, N);

    [Benchmark(Baseline = true), BenchmarkCategory("double[] row-major")]
    public void DotNetFlat() => Workloads.MatMulFlat(a1, b1, c1, N);

    [Benchmark, BenchmarkCategory("double[] row-major")]
    public void CpuFlat() => cpuFlat(a1, b1, c1, N);
}
