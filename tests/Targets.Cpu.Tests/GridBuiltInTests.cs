using Targets.Cpu;

namespace Targets.Cpu.Tests;

public static class GridCode
{
    public static void UsesThreadIdx(int[] into) => into[0] = Targets.Cuda.Cuda.ThreadIdx.X;

    public static void UsesBarrier() => Targets.Cuda.Cuda.SyncThreads();
}

/// <summary>CUDA's built-ins have no meaning on the host targets: refused at compile time with the line and where they work.</summary>
public sealed class GridBuiltInTests
{
    [Fact]
    public void Host_targets_refuse_cuda_built_ins_naming_the_line()
    {
        foreach (Delegate method in new Delegate[] { GridCode.UsesThreadIdx, GridCode.UsesBarrier })
        {
            var e = Assert.Throws<CompilationException>(() => new CpuTarget().Compile(method));
            Assert.Equal(CompilationErrorKind.UnsupportedConstruct, e.Kind);
            Assert.Contains("Cuda.", e.Construct);
            Assert.Contains("CudaTarget", e.Message);
            Assert.EndsWith("GridBuiltInTests.cs", e.SourceFile);
        }
    }
}
