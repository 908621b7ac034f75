using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using Targets.Cuda.Lowering;

namespace Targets.Cuda.Tests;

public static class GridKernels
{
    public static void Count3D(Index3D i, int[] counts) => Atomic.Add(counts, (i.Z * 6 + i.Y) * 5 + i.X, 1);
}

public static class MathKernels
{
    public static void Sines(Index1D i, float[] x) => x[i] = MathF.Sin(x[i]) + MathF.Exp(x[i]);

    public static float Twice(float x) => 2 * x;
}

/// <summary>The cuda target's API without a device: options, stages, what it refuses and how it says so.</summary>
public sealed class CudaTargetTests
{
    [Fact]
    public void A_launch_without_a_device_says_why_and_points_at_the_simulator()
    {
        float[] x = [1, 2, 3], y = [4, 5, 6];
        if (CudaTarget.IsAvailable)
        {
            new CudaTarget().Launch(CudaKernels.Saxpy, 3, 2f, x, y);
            Assert.Equal([6f, 9f, 12f], y);
            return;
        }
        var e = Assert.Throws<InvalidOperationException>(() => new CudaTarget().Launch(CudaKernels.Saxpy, 3, 2f, x, y));
        Assert.Contains(CudaTarget.Status, e.Message);
        Assert.Contains("Simulator()", e.Message);
        Assert.Empty(CudaTarget.Devices);
    }

    [Fact]
    public void A_typed_launcher_launches_as_Launch_does()
    {
        float[] x = [1f, 2f, 3f], y = [10f, 20f, 30f];
        ITarget target = CudaTarget.Simulator();
        var saxpy = target.Launcher<Action<int, float, float[], float[]>>(CudaKernels.Saxpy);
        saxpy(3, 2f, x, y);
        Assert.Equal([12f, 24f, 36f], y);
        saxpy(0, 2f, x, y);
        Assert.Equal([12f, 24f, 36f], y);
        Assert.Contains("takes the extent first", Assert.Throws<ArgumentException>(() => target.Launcher<Func<int, int>>(CudaKernels.Saxpy)).Message);
    }

    [Fact]
    public void Compiling_and_inspecting_need_no_device()
    {
        CompiledFunction f = new CudaTarget(new CudaOptions { ComputeCapability = 90 }).Compile(MathKernels.Twice);
        Assert.Contains(".target sm_90", f.Inspect(Stage.Ptx));
        Assert.Contains("fmul", f.Inspect(Stage.OptimizedLlvm));
        Assert.Contains("twice", f.Inspect(Stage.Ir), StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ArgumentException>(() => f.Inspect(Stage.Asm));
        Assert.Equal(5f, CudaTarget.Simulator().Compile(MathKernels.Twice).AsDelegate<Func<float, float>>()(2.5f));
    }

    [Fact]
    public void Options_are_validated_and_fast_math_picks_libdevices_approximations()
    {
        Assert.Throws<ArgumentException>(() => new CudaTarget(new CudaOptions { ComputeCapability = 71 }));
        Assert.Throws<ArgumentException>(() => new CudaTarget(new CudaOptions { ComputeCapability = 80, PtxVersion = 60 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CudaTarget(new CudaOptions { BlockSize = 2000 }));
        Assert.Equal(70, new CudaTarget(new CudaOptions { ComputeCapability = 70 }).Ptx.Sm);
        Assert.Contains("__nv_sinf", new CudaTarget().InspectKernel(MathKernels.Sines, Stage.Llvm));
        Assert.Contains("__nv_fast_sinf", new CudaTarget(new CudaOptions { FastMath = true }).InspectKernel(MathKernels.Sines, Stage.Llvm));
    }

    [Fact]
    public void Without_bounds_checks_kernels_lose_the_checks_and_the_error_report()
    {
        string checkedPtx = new CudaTarget().InspectKernel(CudaKernels.Saxpy);
        string uncheckedPtx = new CudaTarget(new CudaOptions { BoundsChecks = false }).InspectKernel(CudaKernels.Saxpy);
        Assert.Contains("atom.global.cas", checkedPtx); // the first raising thread claims the error slot
        Assert.DoesNotContain("atom.global.cas", uncheckedPtx); // nothing left that raises
        // An integer remainder still checks its divisor: that is C#'s semantics, not a bounds check.
        Assert.Contains("atom.global.cas", new CudaTarget(new CudaOptions { BoundsChecks = false }).InspectKernel(CudaKernels.Histogram));
        int[] values = [.. Enumerable.Range(0, 500).Select(i => i % 7)], bins = new int[7];
        CudaTarget.Simulator(new CudaOptions { BoundsChecks = false }).Launch(CudaKernels.Histogram, values.Length, values, bins);
        Assert.All(bins, b => Assert.True(b is 71 or 72));
    }

    [Fact]
    public void Two_and_three_dimensional_launches_cover_every_index_once_with_any_block_size()
    {
        foreach (int threads in new[] { 64, 96, 100 })
        {
            var target = CudaTarget.Simulator(new CudaOptions { BlockSize = threads });
            double[,] grid = new double[45, 13];
            target.Launch(CudaKernels.Scale2D, (45, 13), 0.0, grid); // every element becomes 0·… = 0 … plus the coverage below
            int[] counts = new int[5 * 6 * 7];
            target.Launch(GridKernels.Count3D, (5, 6, 7), counts);
            Assert.All(counts, c => Assert.Equal(1, c));
        }
    }

    [Fact]
    public void Without_libdevice_math_is_a_compilation_error_saying_where_it_looked()
    {
        // Where libdevice is found, the kernel's PTX is compiled now and kept in the compile cache.
        bool cached = Libdevice.Path is not null && new CudaTarget().InspectKernel(MathKernels.Sines).Contains(".entry", StringComparison.Ordinal);
        using (TargetsSettings.Use(TargetsSettings.Current with { Libdevice = "/nonexistent/libdevice.10.bc" }))
        {
            // LLVM's stages link libdevice in every time: they say where they looked.
            var e = Assert.Throws<CompilationException>(() => new CudaTarget().InspectKernel(MathKernels.Sines, Stage.OptimizedLlvm));
            Assert.Contains("libdevice.10.bc", e.Message);
            Assert.Contains("/nonexistent/libdevice.10.bc", e.Message);
            Assert.Equal(CompilationErrorKind.Backend, e.Kind);
            // PTX kept in the compile cache needs no libdevice (nor LLVM), and kernels without transcendental math never do.
            if (cached)
                Assert.Contains(".entry", new CudaTarget().InspectKernel(MathKernels.Sines));
            Assert.Contains(".entry", new CudaTarget().InspectKernel(CudaKernels.Saxpy));
        }
    }

    [Fact]
    public void The_simulator_takes_dotnet_arrays_not_device_memory()
    {
        using Context context = Context.Create(b => b.CPU());
        using Accelerator accelerator = context.CreateCPUAccelerator(0);
        using MemoryBuffer1D<float, Stride1D.Dense> buffer = accelerator.Allocate1D<float>(4);
        var e = Assert.Throws<ArgumentException>(() => CudaTarget.Simulator().Launch(CudaKernels.Saxpy, 4, 2f, new float[4], buffer));
        Assert.Contains("device", e.Message);
        Assert.Throws<InvalidOperationException>(() => CudaTarget.Simulator().Allocate<float>(4));
    }

    [Fact]
    public void Grid_built_ins_are_refused_outside_cuda()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Cuda.ThreadIdx.X);
        Assert.Contains("CudaTarget", e.Message);
    }

    [Fact]
    public void A_disposed_target_refuses_work()
    {
        var target = CudaTarget.Simulator();
        CompiledFunction f = target.Compile(MathKernels.Twice);
        target.Dispose();
        Assert.Throws<ObjectDisposedException>(() => target.Launch(CudaKernels.Saxpy, 1, 1f, new float[1], new float[1]));
        Assert.Throws<ObjectDisposedException>(() => f.Invoke(1f));
    }
}

/// <summary>The PTX ISA a driver loads.</summary>
public sealed class DriverVersionTests
{
    [Theory]
    [InlineData(118, 78)]
    [InlineData(120, 80)]
    [InlineData(125, 85)]
    [InlineData(110, 70)]
    public void The_newest_ptx_a_driver_loads(int driver, int ptx) => Assert.Equal(ptx, CudaTarget.MaxPtxOf(driver));
}
