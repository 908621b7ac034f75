using System.Runtime.InteropServices;

namespace Targets.Llvm.Interop;

/// <summary>
/// LLVM-C 19 ORC entry points (<c>Orc.h</c>, <c>LLJIT.h</c>). Ownership rules that bite:
/// <c>LLVMOrcCreateLLJIT</c> takes the builder even on error; setting a target machine builder
/// takes it; creating a thread-safe module takes the module; adding it to the JIT takes the
/// thread-safe module (dispose it only if adding was not attempted). Strings returned by the JIT
/// are the JIT's own.
/// </summary>
#pragma warning disable CA1401, CA5392, SYSLIB1054
public static unsafe partial class LlvmApi
{
    [LibraryImport(Lib)] public static partial LLVMOrcThreadSafeContextRef LLVMOrcCreateNewThreadSafeContext();
    [LibraryImport(Lib)] public static partial LLVMContextRef LLVMOrcThreadSafeContextGetContext(LLVMOrcThreadSafeContextRef tsc);
    [LibraryImport(Lib)] public static partial void LLVMOrcDisposeThreadSafeContext(LLVMOrcThreadSafeContextRef tsc);
    [LibraryImport(Lib)]
    public static partial LLVMOrcThreadSafeModuleRef LLVMOrcCreateNewThreadSafeModule(LLVMModuleRef m, LLVMOrcThreadSafeContextRef tsc);
    [LibraryImport(Lib)] public static partial void LLVMOrcDisposeThreadSafeModule(LLVMOrcThreadSafeModuleRef tsm);

    [LibraryImport(Lib)] public static partial LLVMOrcLLJITBuilderRef LLVMOrcCreateLLJITBuilder();
    [LibraryImport(Lib)] public static partial void LLVMOrcDisposeLLJITBuilder(LLVMOrcLLJITBuilderRef builder);
    [LibraryImport(Lib)]
    public static partial void LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(LLVMOrcLLJITBuilderRef builder, LLVMOrcJITTargetMachineBuilderRef jtmb);
    /// <summary>Takes ownership of the target machine.</summary>
    [LibraryImport(Lib)]
    public static partial LLVMOrcJITTargetMachineBuilderRef LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(LLVMTargetMachineRef tm);
    [LibraryImport(Lib)] public static partial LLVMErrorRef LLVMOrcJITTargetMachineBuilderDetectHost(out LLVMOrcJITTargetMachineBuilderRef jtmb);
    [LibraryImport(Lib)] public static partial LLVMErrorRef LLVMOrcCreateLLJIT(out LLVMOrcLLJITRef jit, LLVMOrcLLJITBuilderRef builder);
    [LibraryImport(Lib)] public static partial LLVMErrorRef LLVMOrcDisposeLLJIT(LLVMOrcLLJITRef jit);
    [LibraryImport(Lib)] public static partial LLVMOrcJITDylibRef LLVMOrcLLJITGetMainJITDylib(LLVMOrcLLJITRef jit);
    [LibraryImport(Lib)] public static partial LLVMOrcExecutionSessionRef LLVMOrcLLJITGetExecutionSession(LLVMOrcLLJITRef jit);
    [LibraryImport(Lib)]
    public static partial LLVMErrorRef LLVMOrcLLJITAddLLVMIRModule(LLVMOrcLLJITRef jit, LLVMOrcJITDylibRef dylib, LLVMOrcThreadSafeModuleRef tsm);
    [LibraryImport(Lib)]
    public static partial LLVMErrorRef LLVMOrcLLJITAddLLVMIRModuleWithRT(LLVMOrcLLJITRef jit, LLVMOrcResourceTrackerRef tracker, LLVMOrcThreadSafeModuleRef tsm);
    /// <summary>Takes ownership of the buffer (an object file for the JIT's triple).</summary>
    [LibraryImport(Lib)]
    public static partial LLVMErrorRef LLVMOrcLLJITAddObjectFileWithRT(LLVMOrcLLJITRef jit, LLVMOrcResourceTrackerRef tracker, LLVMMemoryBufferRef objectBuffer);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMErrorRef LLVMOrcLLJITLookup(LLVMOrcLLJITRef jit, out ulong address, string name);
    /// <summary>Owned by the JIT.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMOrcLLJITGetTripleString(LLVMOrcLLJITRef jit);
    /// <summary>Owned by the JIT.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMOrcLLJITGetDataLayoutStr(LLVMOrcLLJITRef jit);
    [LibraryImport(Lib)] public static partial byte LLVMOrcLLJITGetGlobalPrefix(LLVMOrcLLJITRef jit);
    [LibraryImport(Lib)] public static partial LLVMOrcResourceTrackerRef LLVMOrcJITDylibCreateResourceTracker(LLVMOrcJITDylibRef dylib);
    [LibraryImport(Lib)] public static partial LLVMErrorRef LLVMOrcResourceTrackerRemove(LLVMOrcResourceTrackerRef tracker);
    [LibraryImport(Lib)] public static partial void LLVMOrcReleaseResourceTracker(LLVMOrcResourceTrackerRef tracker);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMOrcSymbolStringPoolEntryRef LLVMOrcExecutionSessionIntern(LLVMOrcExecutionSessionRef session, string name);
    [LibraryImport(Lib)] public static partial void LLVMOrcReleaseSymbolStringPoolEntry(LLVMOrcSymbolStringPoolEntryRef entry);
    /// <summary>Takes the pairs' names; <paramref name="pairs"/> is <c>LLVMOrcCSymbolMapPair[count]</c>.</summary>
    [LibraryImport(Lib)] public static partial LLVMOrcMaterializationUnitRef LLVMOrcAbsoluteSymbols(OrcSymbolMapPair* pairs, nuint count);
    /// <summary>Takes the materialization unit, even on error.</summary>
    [LibraryImport(Lib)] public static partial LLVMErrorRef LLVMOrcJITDylibDefine(LLVMOrcJITDylibRef dylib, LLVMOrcMaterializationUnitRef unit);
}

/// <summary><c>LLVMOrcCSymbolMapPair</c>: a name and its <c>LLVMJITEvaluatedSymbol</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct OrcSymbolMapPair
{
    public LLVMOrcSymbolStringPoolEntryRef Name;
    public ulong Address;
    /// <summary><c>LLVMJITSymbolFlags</c>: generic flags (bit 0 exported, bit 1 weak, …), then target flags.</summary>
    public byte GenericFlags;
    public byte TargetFlags;
}
