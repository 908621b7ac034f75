using Targets.Cache;
using Targets.Llvm.Interop;

namespace Targets.Cuda.Tests;

/// <summary>
/// The cuda target's PTX in the compile cache: a kernel compiled once is loaded, by a new target
/// or another process, without LLVM; what changes the PTX changes the key; a damaged entry is
/// refused and the kernel compiled again.
/// </summary>
public sealed partial class PtxCacheTests
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\bk[0-9]+")]
    private static partial System.Text.RegularExpressions.Regex ModuleName();

    /// <summary>Whether the kernel's PTX came from LLVM in this compilation (a cache miss), told by its timings.</summary>
    static bool CompiledByLlvm(CudaTarget target, Delegate kernel) =>
        target.InspectKernel(kernel, Stage.Timings).Contains("NVPTX: emit PTX", StringComparison.Ordinal);

    [Fact]
    public void A_new_target_loads_the_kernels_ptx_from_the_cache()
    {
        var first = new CudaTarget(new CudaOptions { ComputeCapability = 86 });
        string compiled = first.InspectKernel(CudaKernels.Histogram);
        var second = new CudaTarget(new CudaOptions { ComputeCapability = 86 });
        Assert.False(CompiledByLlvm(second, CudaKernels.Histogram));
        Assert.Equal(compiled, second.InspectKernel(CudaKernels.Histogram));
    }

    [Fact]
    public void What_changes_the_ptx_changes_the_key()
    {
        _ = new CudaTarget(new CudaOptions { ComputeCapability = 86 }).InspectKernel(CudaKernels.WarpSum);
        Assert.True(CompiledByLlvm(new CudaTarget(new CudaOptions { ComputeCapability = 89 }), CudaKernels.WarpSum));
        Assert.True(CompiledByLlvm(new CudaTarget(new CudaOptions { ComputeCapability = 86, PtxVersion = 81 }), CudaKernels.WarpSum));
        Assert.True(CompiledByLlvm(new CudaTarget(new CudaOptions { ComputeCapability = 86, BoundsChecks = false }), CudaKernels.WarpSum));
        Assert.True(CompiledByLlvm(new CudaTarget(new CudaOptions { ComputeCapability = 86, FastMath = true }), CudaKernels.WarpSum));
        // Another kernel with the same signature; then the first again, as first compiled: a hit.
        Assert.True(CompiledByLlvm(new CudaTarget(new CudaOptions { ComputeCapability = 86 }), CudaKernels.WarpAllReduce));
        Assert.False(CompiledByLlvm(new CudaTarget(new CudaOptions { ComputeCapability = 86 }), CudaKernels.WarpSum));
    }

    [Fact]
    public void A_damaged_entry_is_refused_and_the_kernel_compiled_again()
    {
        var target = new CudaTarget(new CudaOptions { ComputeCapability = 87 });
        string ptx = target.InspectKernel(CudaKernels.Stencil);
        // The entry holding this PTX (other test processes of the run share the directory).
        byte[] text = System.Text.Encoding.UTF8.GetBytes(ptx);
        FileInfo entry = Assert.Single(new DirectoryInfo(CompileCache.Directory).GetFiles("*.tgc"), f => File.ReadAllBytes(f.FullName).AsSpan().IndexOf(text) >= 0);
        var warnings = new List<string>();
        void Warned(string message) => warnings.Add(message);
        CompileCache.Warning += Warned;
        try
        {
            byte[] bytes = File.ReadAllBytes(entry.FullName);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(entry.FullName, bytes);
            var again = new CudaTarget(new CudaOptions { ComputeCapability = 87 });
            Assert.True(CompiledByLlvm(again, CudaKernels.Stencil));
            // The same PTX but for the module's name (a new one in this process).
            Assert.Equal(ModuleName().Replace(ptx, "k"), ModuleName().Replace(again.InspectKernel(CudaKernels.Stencil), "k"));
            Assert.Contains(warnings, w => w.Contains("checksum mismatch", StringComparison.Ordinal));
        }
        finally
        {
            CompileCache.Warning -= Warned;
        }
    }

    [Fact]
    public void Another_process_without_llvm_loads_the_cached_ptx_and_says_what_is_missing_for_the_rest()
    {
        // Compiled here in one order; the child computes the keys itself, in another order, with no LLVM to load.
        var target = new CudaTarget(new CudaOptions { ComputeCapability = 90 });
        string saxpy = target.InspectKernel(CudaKernels.Saxpy), pull = target.InspectKernel(BodyKernels.Pull);
        ChildProcess.Result run = ChildProcess.Run(typeof(NoLlvmProbe), nameof(NoLlvmProbe.Run), TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { [LlvmLibrary.PathVariable] = "/nonexistent/libLLVM.so.19.1" });
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Pull {pull.Length}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"Saxpy {saxpy.Length}", run.Output, StringComparison.Ordinal);
        Assert.Contains("NeverCompiled: DllNotFoundException: LLVM 19 was not found", run.Output, StringComparison.Ordinal);
        Assert.Contains("libLLVM mapped: no", run.Output, StringComparison.Ordinal);
    }
}

/// <summary>Asks for two cached kernels' PTX and one never compiled, with no LLVM; prints each outcome and whether libLLVM got into the process.</summary>
public static class NoLlvmProbe
{
    /// <summary>A kernel no other test compiles (the test run's processes share one compile cache).</summary>
    static void NeverCompiled(Index1D i, int[] data) => data[i] = i * 7 + 3;

    public static int Run()
    {
        var target = new CudaTarget(new CudaOptions { ComputeCapability = 90 });
        foreach (Delegate kernel in new Delegate[] { BodyKernels.Pull, CudaKernels.Saxpy, NeverCompiled })
        {
            try
            {
                Console.WriteLine($"{kernel.Method.Name} {target.InspectKernel(kernel).Length}");
            }
#pragma warning disable CA1031 // the probe reports whatever is thrown
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.WriteLine($"{kernel.Method.Name}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        bool mapped = File.ReadLines("/proc/self/maps").Any(line => line.Contains("libLLVM", StringComparison.Ordinal));
        Console.WriteLine($"libLLVM mapped: {(mapped ? "yes" : "no")}");
        return 0;
    }
}
