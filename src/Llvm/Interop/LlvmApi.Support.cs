using System.Runtime.InteropServices;

namespace Targets.Llvm.Interop;

/// <summary>
/// LLVM-C 19 entry points for errors (<c>Error.h</c>), the verifier (<c>Analysis.h</c>), readers
/// (<c>IRReader.h</c>, <c>BitReader.h</c>), the linker (<c>Linker.h</c>) and the new pass manager
/// (<c>Transforms/PassBuilder.h</c>).
/// </summary>
#pragma warning disable CA1401, CA5392, SYSLIB1054
public static unsafe partial class LlvmApi
{
    /// <summary>Consumes the error; free the result with <see cref="LLVMDisposeErrorMessage"/>.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMGetErrorMessage(LLVMErrorRef error);
    [LibraryImport(Lib)] public static partial void LLVMDisposeErrorMessage(nint message);
    [LibraryImport(Lib)] public static partial void LLVMConsumeError(LLVMErrorRef error);

    /// <summary>Returns 1 when the module is broken; the message always needs <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)]
    public static partial int LLVMVerifyModule(LLVMModuleRef m, LLVMVerifierFailureAction action, out nint message);

    /// <summary>Takes ownership of <paramref name="buffer"/>, even on failure. Returns 0 on success.</summary>
    [LibraryImport(Lib)]
    public static partial int LLVMParseIRInContext(LLVMContextRef c, LLVMMemoryBufferRef buffer, out LLVMModuleRef module, out nint message);
    /// <summary>Does not take the buffer. Returns 0 on success; diagnostics go to the context's handler.</summary>
    [LibraryImport(Lib)]
    public static partial int LLVMParseBitcodeInContext2(LLVMContextRef c, LLVMMemoryBufferRef buffer, out LLVMModuleRef module);
    /// <summary>Links <paramref name="source"/> into <paramref name="destination"/> and destroys the source. Returns 0 on success.</summary>
    [LibraryImport(Lib)] public static partial int LLVMLinkModules2(LLVMModuleRef destination, LLVMModuleRef source);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMErrorRef LLVMRunPasses(LLVMModuleRef m, string passes, LLVMTargetMachineRef tm, LLVMPassBuilderOptionsRef options);
    [LibraryImport(Lib)] public static partial LLVMPassBuilderOptionsRef LLVMCreatePassBuilderOptions();
    [LibraryImport(Lib)] public static partial void LLVMPassBuilderOptionsSetVerifyEach(LLVMPassBuilderOptionsRef options, int verify);
    [LibraryImport(Lib)] public static partial void LLVMPassBuilderOptionsSetLoopVectorization(LLVMPassBuilderOptionsRef options, int on);
    [LibraryImport(Lib)] public static partial void LLVMPassBuilderOptionsSetSLPVectorization(LLVMPassBuilderOptionsRef options, int on);
    [LibraryImport(Lib)] public static partial void LLVMPassBuilderOptionsSetLoopUnrolling(LLVMPassBuilderOptionsRef options, int on);
    [LibraryImport(Lib)] public static partial void LLVMPassBuilderOptionsSetLoopInterleaving(LLVMPassBuilderOptionsRef options, int on);
    [LibraryImport(Lib)] public static partial void LLVMDisposePassBuilderOptions(LLVMPassBuilderOptionsRef options);
}
