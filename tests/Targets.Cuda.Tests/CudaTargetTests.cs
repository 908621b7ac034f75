using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using Targets.Cuda.Lowering;

namespace Targets.Cuda.Tests;

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
    public void Without_libdevice_math_is_a_compilation_error_saying_where_it_looked()
    {
        string? saved = Environment.GetEnvironmentVariable(Libdevice.PathVariable);
        Environment.SetEnvironmentVariable(Libdevice.PathVariable, "/nonexistent/libdevice.10.bc");
        try
        {
            var e = Assert.Throws<CompilationException>(() => new CudaTarget().InspectKernel(MathKernels.Sines));
            Assert.Contains("libdevice.10.bc", e.Message);
            Assert.Contains("/nonexistent/libdevice.10.bc", e.Message);
            Assert.Equal(CompilationErrorKind.Backend, e.Kind);
            // Kernels without transcendental math do not need it.
            Assert.Contains(".entry", new CudaTarget().InspectKernel(CudaKernels.Saxpy));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Libdevice.PathVariable, saved);
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
