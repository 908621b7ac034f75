using Targets.Llvm.Interop;

namespace Targets.Llvm;

/// <summary>
/// Registers the two LLVM targets the project emits for, once per process and thread-safely:
/// x86-64 (info, target, MC, and the asm printer LLJIT needs to emit machine code) and NVPTX.
/// </summary>
public static class LlvmTargets
{
    static readonly Lazy<bool> Initialized = new(() =>
    {
        LlvmApi.LLVMInitializeX86TargetInfo();
        LlvmApi.LLVMInitializeX86Target();
        LlvmApi.LLVMInitializeX86TargetMC();
        LlvmApi.LLVMInitializeX86AsmPrinter();
        LlvmApi.LLVMInitializeNVPTXTargetInfo();
        LlvmApi.LLVMInitializeNVPTXTarget();
        LlvmApi.LLVMInitializeNVPTXTargetMC();
        LlvmApi.LLVMInitializeNVPTXAsmPrinter();
        return true;
    });

    /// <summary>Loads libLLVM and registers the targets; a missing library is a <see cref="DllNotFoundException"/>.</summary>
    public static void EnsureLoaded() => _ = Initialized.Value;

    /// <summary>The process's default triple, e.g. <c>x86_64-pc-linux-gnu</c>.</summary>
    public static string HostTriple
    {
        get
        {
            EnsureLoaded();
            return LlvmStrings.TakeMessage(LlvmApi.LLVMGetDefaultTargetTriple());
        }
    }

    /// <summary>The host CPU's name as LLVM knows it, e.g. <c>znver3</c>.</summary>
    public static string HostCpu
    {
        get
        {
            EnsureLoaded();
            return LlvmStrings.TakeMessage(LlvmApi.LLVMGetHostCPUName());
        }
    }

    /// <summary>The host CPU's features, e.g. <c>+avx2,+fma,…</c>.</summary>
    public static string HostFeatures
    {
        get
        {
            EnsureLoaded();
            return LlvmStrings.TakeMessage(LlvmApi.LLVMGetHostCPUFeatures());
        }
    }

    /// <summary>The loaded libLLVM's version, e.g. <c>19.1.7</c> (part of what a persistent compile cache's key covers).</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded();
            LlvmApi.LLVMGetVersion(out uint major, out uint minor, out uint patch);
            return $"{major}.{minor}.{patch}";
        }
    }
}
