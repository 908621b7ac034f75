namespace Targets.Llvm.Interop;

// Typed, blittable handles for LLVM-C's opaque pointers. They own nothing: ownership lives in
// the wrappers (LlvmContext, LlvmModule, …), which know which dispose function each needs.
// Distinct types keep a value from being passed where a type or block is expected.
#pragma warning disable CA1815, CA1034 // handle structs are compared by the Handle they hold.

/// <summary>An <c>LLVMContextRef</c>.</summary>
public readonly record struct LLVMContextRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMModuleRef</c>.</summary>
public readonly record struct LLVMModuleRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMTypeRef</c>.</summary>
public readonly record struct LLVMTypeRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMValueRef</c>.</summary>
public readonly record struct LLVMValueRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMBasicBlockRef</c>.</summary>
public readonly record struct LLVMBasicBlockRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMBuilderRef</c>.</summary>
public readonly record struct LLVMBuilderRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMMetadataRef</c>.</summary>
public readonly record struct LLVMMetadataRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMAttributeRef</c>.</summary>
public readonly record struct LLVMAttributeRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMMemoryBufferRef</c>.</summary>
public readonly record struct LLVMMemoryBufferRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMErrorRef</c>; null means success.</summary>
public readonly record struct LLVMErrorRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMTargetRef</c> (a registered target, never freed).</summary>
public readonly record struct LLVMTargetRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMTargetMachineRef</c>.</summary>
public readonly record struct LLVMTargetMachineRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMTargetDataRef</c>.</summary>
public readonly record struct LLVMTargetDataRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMPassBuilderOptionsRef</c>.</summary>
public readonly record struct LLVMPassBuilderOptionsRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcThreadSafeContextRef</c>.</summary>
public readonly record struct LLVMOrcThreadSafeContextRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcThreadSafeModuleRef</c>.</summary>
public readonly record struct LLVMOrcThreadSafeModuleRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcLLJITBuilderRef</c>.</summary>
public readonly record struct LLVMOrcLLJITBuilderRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcLLJITRef</c>.</summary>
public readonly record struct LLVMOrcLLJITRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcJITDylibRef</c> (owned by the execution session).</summary>
public readonly record struct LLVMOrcJITDylibRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcJITTargetMachineBuilderRef</c>.</summary>
public readonly record struct LLVMOrcJITTargetMachineBuilderRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcResourceTrackerRef</c>.</summary>
public readonly record struct LLVMOrcResourceTrackerRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcExecutionSessionRef</c> (owned by the LLJIT).</summary>
public readonly record struct LLVMOrcExecutionSessionRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcSymbolStringPoolEntryRef</c>.</summary>
public readonly record struct LLVMOrcSymbolStringPoolEntryRef(nint Handle) { public bool IsNull => Handle == 0; }
/// <summary>An <c>LLVMOrcMaterializationUnitRef</c>.</summary>
public readonly record struct LLVMOrcMaterializationUnitRef(nint Handle) { public bool IsNull => Handle == 0; }
