namespace Targets.Llvm.Interop;

// Enumerations of LLVM-C 19 with the values of its headers (Core.h, Target.h, TargetMachine.h,
// Analysis.h). Only what the project uses; a new member must copy the header's value.
#pragma warning disable CA1008, CA1028, CA1027, CA1069 // values mirror LLVM's headers.

/// <summary><c>LLVMOpcode</c>: the instructions the project tells apart.</summary>
public enum LLVMOpcode { IndirectBr = 4, Invoke = 5, Call = 45, Fence = 55, AtomicCmpXchg = 56, AtomicRMW = 57, CallBr = 67 }

/// <summary><c>LLVMIntPredicate</c>.</summary>
public enum LLVMIntPredicate { EQ = 32, NE, UGT, UGE, ULT, ULE, SGT, SGE, SLT, SLE }

/// <summary><c>LLVMRealPredicate</c>.</summary>
public enum LLVMRealPredicate
{
    False, OEQ, OGT, OGE, OLT, OLE, ONE, ORD, UNO, UEQ, UGT, UGE, ULT, ULE, UNE, True,
}

/// <summary><c>LLVMLinkage</c>.</summary>
public enum LLVMLinkage
{
    External = 0, AvailableExternally = 1, LinkOnceAny = 2, LinkOnceODR = 3, WeakAny = 5,
    WeakODR = 6, Appending = 7, Internal = 8, Private = 9,
}

/// <summary><c>LLVMTypeKind</c>.</summary>
public enum LLVMTypeKind
{
    Void, Half, Float, Double, X86FP80, FP128, PPCFP128, Label, Integer, Function, Struct,
    Array, Pointer, Vector, Metadata, X86MMX, Token, ScalableVector, BFloat, X86AMX, TargetExt,
}

/// <summary><c>LLVMAtomicOrdering</c>.</summary>
public enum LLVMAtomicOrdering
{
    NotAtomic = 0, Unordered = 1, Monotonic = 2, Acquire = 4, Release = 5,
    AcquireRelease = 6, SequentiallyConsistent = 7,
}

/// <summary><c>LLVMAtomicRMWBinOp</c>.</summary>
public enum LLVMAtomicRMWBinOp { Xchg, Add, Sub, And, Nand, Or, Xor, Max, Min, UMax, UMin, FAdd, FSub }

/// <summary><c>LLVMCodeGenOptLevel</c>.</summary>
public enum LLVMCodeGenOptLevel { None, Less, Default, Aggressive }

/// <summary><c>LLVMRelocMode</c>.</summary>
public enum LLVMRelocMode { Default, Static, PIC, DynamicNoPic, Ropi, Rwpi, RopiRwpi }

/// <summary><c>LLVMCodeModel</c>.</summary>
public enum LLVMCodeModel { Default, JITDefault, Tiny, Small, Kernel, Medium, Large }

/// <summary><c>LLVMCodeGenFileType</c>.</summary>
public enum LLVMCodeGenFileType { Assembly, Object }

/// <summary><c>LLVMVerifierFailureAction</c>. We only ever pass <see cref="ReturnStatus"/>.</summary>
public enum LLVMVerifierFailureAction { AbortProcess, PrintMessage, ReturnStatus }

/// <summary><c>LLVMCallConv</c> values used here.</summary>
public enum LLVMCallConv { C = 0, Fast = 8, PtxKernel = 71, PtxDevice = 72 }
