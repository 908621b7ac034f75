namespace Targets.Cuda.Tests;

/// <summary>Jit classes on cuda: immutable values, passed by value, made inside kernels; stores refused with the line.</summary>
public sealed class ImmutableClassTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void An_instance_is_passed_by_value_and_read_in_the_kernel()
    {
        var body = new Body(1f, 2f, 3f);
        float[] xs = [0, 1, 2, 3], ys = [0, 2, 4, 6], pull = new float[4], expected = new float[4];
        for (int i = 0; i < xs.Length; i++)
            BodyKernels.Pull(new Index1D(i), body, xs, ys, expected);
        Simulator.Launch(BodyKernels.Pull, xs.Length, body, xs, ys, pull);
        Assert.Equal(expected, pull);
    }

    [Fact]
    public void Constructors_and_value_returning_methods_run_inside_kernels()
    {
        float[] xs = [0, 1, 2, 3], ys = [5, 6, 7, 8];
        float[] ex = [.. xs], ey = [.. ys];
        for (int i = 0; i < xs.Length; i++)
            BodyKernels.MakeAndMove(new Index1D(i), ex, ey);
        Simulator.Launch(BodyKernels.MakeAndMove, xs.Length, xs, ys);
        Assert.Equal(ex, xs);
        Assert.Equal(ey, ys);
    }

    [Fact]
    public void Storing_a_field_is_refused_naming_the_class_field_and_line()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Launch(BodyKernels.StoreField, 1, new Body(0, 0, 0), new float[1]));
        Assert.Contains("storing field Body.X", e.Message);
        Assert.Contains("immutable on cuda", e.Message);
        Assert.EndsWith("BodyKernels.cs", e.SourceFile);
        // The line of the store (read from the checkout: CI builds map PDB paths to /_/).
        string[] source = File.ReadAllLines(Path.Combine(Repository.Root, "tests", "Targets.Cuda.Tests", "BodyKernels.cs"));
        Assert.Equal(Array.FindIndex(source, line => line.Trim() == "body.X = xs[i];") + 1, e.SourceLine);
    }

    [Fact]
    public void Calling_a_method_that_stores_is_refused_too()
    {
        var e = Assert.Throws<CompilationException>(() => new CudaTarget().InspectKernel(BodyKernels.CallsAMutator));
        Assert.Contains("storing field Body.X", e.Message);
    }

    [Fact]
    public void Allocating_an_array_in_a_kernel_is_refused_with_the_way_out()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Launch(BodyKernels.Allocates, 1, new float[1]));
        Assert.Contains("new T[n] in device code", e.Message);
        Assert.Contains("Cuda.SharedArray", e.Message);
    }

    [Fact]
    public void Kernels_with_instances_assemble_for_the_device()
    {
        var target = new CudaTarget(new CudaOptions { ComputeCapability = 80 });
        foreach (string ptx in new[] { target.InspectKernel(BodyKernels.Pull), target.InspectKernel(BodyKernels.MakeAndMove) })
        {
            Assert.DoesNotContain("nrt_", ptx);
            if (Targets.Llvm.Ptxas.Path is not null)
                Assert.Null(Targets.Llvm.Ptxas.Check(ptx, 80));
        }
    }
}
