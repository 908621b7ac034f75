using Targets.Llvm;
using Targets.Llvm.Interop;

namespace Targets.Cuda.Lowering;

/// <summary>
/// NVIDIA's libdevice (<c>libdevice.10.bc</c>): the bitcode of the <c>__nv_*</c> math functions the
/// device's transcendental math calls (NVPTX cannot select <c>llvm.sin</c> and the like). Looked up
/// in <c>TARGETS_LIBDEVICE</c>, <c>$CUDA_HOME/nvvm/libdevice</c>, the repository's fetched toolkit,
/// then the system's toolkit folders. Linked only into modules that call it; after linking every
/// function but the kernel is internal, so the optimiser drops what is not called.
/// </summary>
public static class Libdevice
{
    public const string PathVariable = "TARGETS_LIBDEVICE";

    /// <summary>The bitcode file, or null when none was found (looked up on each use: a few file checks, against a link that takes milliseconds).</summary>
    public static string? Path => Candidates().FirstOrDefault(File.Exists);

    /// <summary>Every place looked in, in order, for messages that say where.</summary>
    public static IReadOnlyList<string> SearchedPaths => Candidates().ToList();

    static IEnumerable<string> Candidates()
    {
        if (TargetsSettings.Current.Libdevice is { } overridden)
        {
            yield return overridden;
            yield break;
        }
        if (TargetsSettings.Current.CudaHome is { } cudaHome)
            yield return System.IO.Path.Combine(cudaHome, "nvvm", "libdevice", "libdevice.10.bc");
        if (Ptxas.FetchedToolkit is { } fetched)
            yield return System.IO.Path.Combine(fetched, "usr", "lib", "nvidia-cuda-toolkit", "libdevice", "libdevice.10.bc");
        yield return "/usr/lib/nvidia-cuda-toolkit/libdevice/libdevice.10.bc";
        yield return "/usr/local/cuda/nvvm/libdevice/libdevice.10.bc";
    }

    /// <summary>Whether <paramref name="module"/> calls a <c>__nv_*</c> function.</summary>
    public static bool IsNeeded(LlvmModule module) => Functions(module).Any(f => LlvmApi.LLVMIsDeclaration(f) != 0 && Name(f).StartsWith("__nv_", StringComparison.Ordinal));

    /// <summary>
    /// Links libdevice into <paramref name="module"/> (configured for <paramref name="machine"/>) and
    /// makes every function but <paramref name="keep"/> internal.
    /// </summary>
    /// <exception cref="FileNotFoundException">No libdevice was found; the message lists where it was looked for.</exception>
    public static void Link(LlvmModule module, TargetMachine machine, string keep)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(machine);
        string path = Path ?? throw new FileNotFoundException(
            $"libdevice.10.bc (NVIDIA's math library for the GPU) was not found; looked in: {string.Join(", ", SearchedPaths)}. " +
            $"Set {PathVariable} or CUDA_HOME, or run scripts/ensure-deps.sh to fetch it.");
        LlvmModule library = module.Context.ParseBitcodeFile(path);
        machine.Configure(library);
        module.Link(library);
        foreach (LLVMValueRef f in Functions(module))
        {
            if (LlvmApi.LLVMIsDeclaration(f) == 0 && Name(f) != keep)
                LlvmApi.LLVMSetLinkage(f, LLVMLinkage.Internal);
        }
    }

    static IEnumerable<LLVMValueRef> Functions(LlvmModule module)
    {
        for (LLVMValueRef f = LlvmApi.LLVMGetFirstFunction(module.Handle); !f.IsNull; f = LlvmApi.LLVMGetNextFunction(f))
            yield return f;
    }

    static string Name(LLVMValueRef f) => LlvmStrings.Borrow(LlvmApi.LLVMGetValueName2(f, out _));
}
