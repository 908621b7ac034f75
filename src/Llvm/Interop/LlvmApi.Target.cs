using System.Runtime.InteropServices;

namespace Targets.Llvm.Interop;

/// <summary>
/// LLVM-C 19 target entry points (<c>Target.h</c>, <c>TargetMachine.h</c>). The
/// <c>LLVMInitializeNative*</c>/<c>All*</c> helpers are header-inline and not exported, so the
/// X86 and NVPTX initialisers are bound one by one.
/// </summary>
#pragma warning disable CA1401, CA5392, SYSLIB1054
public static unsafe partial class LlvmApi
{
    [LibraryImport(Lib)] public static partial void LLVMInitializeX86TargetInfo();
    [LibraryImport(Lib)] public static partial void LLVMInitializeX86Target();
    [LibraryImport(Lib)] public static partial void LLVMInitializeX86TargetMC();
    [LibraryImport(Lib)] public static partial void LLVMInitializeX86AsmPrinter();
    [LibraryImport(Lib)] public static partial void LLVMInitializeNVPTXTargetInfo();
    [LibraryImport(Lib)] public static partial void LLVMInitializeNVPTXTarget();
    [LibraryImport(Lib)] public static partial void LLVMInitializeNVPTXTargetMC();
    [LibraryImport(Lib)] public static partial void LLVMInitializeNVPTXAsmPrinter();

    /// <summary>Returns 0 on success; on failure <paramref name="message"/> needs <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LLVMGetTargetFromTriple(string triple, out LLVMTargetRef target, out nint message);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMTargetMachineRef LLVMCreateTargetMachine(LLVMTargetRef target, string triple, string cpu, string features,
        LLVMCodeGenOptLevel level, LLVMRelocMode reloc, LLVMCodeModel codeModel);
    [LibraryImport(Lib)] public static partial void LLVMDisposeTargetMachine(LLVMTargetMachineRef tm);
    /// <summary>Free the result with <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMGetTargetMachineTriple(LLVMTargetMachineRef tm);
    [LibraryImport(Lib)] public static partial LLVMTargetDataRef LLVMCreateTargetDataLayout(LLVMTargetMachineRef tm);
    [LibraryImport(Lib)] public static partial void LLVMSetModuleDataLayout(LLVMModuleRef m, LLVMTargetDataRef layout);
    [LibraryImport(Lib)] public static partial void LLVMDisposeTargetData(LLVMTargetDataRef layout);
    /// <summary>Free the result with <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMCopyStringRepOfTargetData(LLVMTargetDataRef layout);
    [LibraryImport(Lib)] public static partial ulong LLVMABISizeOfType(LLVMTargetDataRef layout, LLVMTypeRef t);
    [LibraryImport(Lib)] public static partial uint LLVMABIAlignmentOfType(LLVMTargetDataRef layout, LLVMTypeRef t);
    [LibraryImport(Lib)] public static partial ulong LLVMOffsetOfElement(LLVMTargetDataRef layout, LLVMTypeRef structType, uint element);
    /// <summary>Returns 0 on success; the message (on failure) needs <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)]
    public static partial int LLVMTargetMachineEmitToMemoryBuffer(LLVMTargetMachineRef tm, LLVMModuleRef m, LLVMCodeGenFileType kind,
        out nint message, out LLVMMemoryBufferRef buffer);
    /// <summary>Free the result with <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMGetDefaultTargetTriple();
    /// <summary>Free the result with <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMGetHostCPUName();
    /// <summary>Free the result with <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMGetHostCPUFeatures();

    // Memory buffers (Core.h).
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMMemoryBufferRef LLVMCreateMemoryBufferWithMemoryRangeCopy(byte* data, nuint length, string name);
    [LibraryImport(Lib)] public static partial nint LLVMGetBufferStart(LLVMMemoryBufferRef buffer);
    [LibraryImport(Lib)] public static partial nuint LLVMGetBufferSize(LLVMMemoryBufferRef buffer);
    [LibraryImport(Lib)] public static partial void LLVMDisposeMemoryBuffer(LLVMMemoryBufferRef buffer);
}
