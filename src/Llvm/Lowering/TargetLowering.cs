using Targets.Frontend.Ir;
using Targets.Frontend.Passes;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Every choice the shared lowering (<see cref="ModuleLowering"/>, <see cref="FunctionLowering"/>)
/// leaves to a target: the passes it runs, the layouts it compiles against, how transcendental
/// math is called, how an instance is represented and counted, how arrays are allocated, and the
/// entry ABI through which a caller reaches compiled code and learns of a raised exception. The
/// shared lowering names no runtime symbol, no math library function and no entry ABI itself.
/// Internal functions share one convention on every target: <c>i32 status (ptr exceptionRecord,
/// ptr result, params…)</c> (see <see cref="NativeAbi"/>).
/// </summary>
public abstract class TargetLowering
{
    /// <summary>The passes this target runs on the IR, in order.</summary>
    public abstract Pipeline Pipeline { get; }

    /// <summary>Which classes are jit classes and their layouts, for code compiled by this lowering.</summary>
    public abstract LayoutContext Layouts { get; }

    /// <summary>
    /// Calls a transcendental function of System.Math/MathF (<c>Sin</c>, <c>Pow</c>, <c>Cbrt</c>…) on
    /// values of <paramref name="type"/>: the C library on a host, libdevice on a GPU.
    /// </summary>
    public abstract LLVMValueRef Transcendental(FunctionLowering f, MathFunction math, IrType type, LLVMValueRef[] args);

    /// <summary>A new, zeroed instance of <paramref name="layout"/> (raising OutOfMemoryException through <paramref name="f"/> on failure).</summary>
    public abstract LLVMValueRef NewInstance(FunctionLowering f, JitClassType layout);

    /// <summary>The address of the field at <paramref name="offset"/> of a non-null <paramref name="instance"/>.</summary>
    public abstract LLVMValueRef FieldAddress(FunctionLowering f, LLVMValueRef instance, int offset);

    /// <summary>
    /// The class record of a non-null <paramref name="instance"/> (see NrtRuntimeIr.ClassRecordId): what virtual calls
    /// and type tests read. Targets whose instances carry no record refuse those before lowering.
    /// </summary>
    public virtual LLVMValueRef ClassRecordOf(FunctionLowering f, LLVMValueRef instance) =>
        throw new InvalidOperationException($"{GetType().Name}: instances carry no class record here");

    /// <summary>Counts a reference to an instance or to an array's owner (nothing for null), up or down.</summary>
    public abstract void Refcount(FunctionLowering f, LLVMValueRef value, IrType type, bool increment);

    /// <summary>
    /// A zeroed allocation of <paramref name="bytes"/> for an array made by compiled code (the
    /// descriptor first, then the elements); returns its start and the owner the descriptor names.
    /// Elements that are references, or structs holding them (<see cref="IrType.HoldsCounted"/>), are
    /// what the allocation must release when it dies.
    /// </summary>
    public abstract (LLVMValueRef Block, LLVMValueRef Owner) AllocateArray(FunctionLowering f, LLVMValueRef bytes, IrType element);

    /// <summary>
    /// <see cref="IntrinsicKind.ArrayView"/>: a new descriptor over the bytes of <paramref name="source"/> from
    /// <paramref name="offset"/> (I64), <paramref name="length"/> (I32) elements long, that keeps the source's memory
    /// alive while it lives; null for a null source. A target without a heap has none.
    /// </summary>
    public virtual LLVMValueRef ArrayView(FunctionLowering f, LLVMValueRef source, LLVMValueRef offset, LLVMValueRef length) =>
        throw new InvalidOperationException($"{GetType().Name}: this target makes no array views");

    /// <summary>
    /// A descriptor of an array about to be kept past the call (stored into a field): one the
    /// target owns. Arrays a caller only lends (.NET's) must be taken over here.
    /// </summary>
    public abstract LLVMValueRef KeepArray(FunctionLowering f, LLVMValueRef descriptor, int rank);

    /// <summary>
    /// Adds what callers reach: on a host, a trampoline through which .NET calls the entry and gets
    /// its status; on a GPU, a kernel. Runs after every function is lowered.
    /// </summary>
    public abstract void EmitEntry(ModuleLowering lowering, LLVMBuilderRef builder);

    /// <summary>Whether this target runs outlined <see cref="Prange"/> loops across cores (<see cref="EmitParallelLoop"/>).</summary>
    public virtual bool LowersParallelLoops => false;

    /// <summary>The descriptor of the .NET array a static readonly field holds (<see cref="IntrinsicKind.StaticArray"/>); a target without the host's memory has none.</summary>
    public virtual LLVMValueRef StaticArray(FunctionLowering f, System.Reflection.FieldInfo field) =>
        throw new InvalidOperationException($"this target reaches no static arrays of the host ({field.Name})");

    /// <summary>The address space constant data (<see cref="IntrinsicKind.ConstantArray"/>) lives in: 0, the generic one, unless the target has one for constants.</summary>
    public virtual uint ConstantAddressSpace => 0;

    /// <summary>
    /// Emits the body of a dispatch function (<see cref="IrFunction.ParallelLoop"/>) that runs the
    /// loop's body function over chunks of its iterations in parallel, instead of the IR's in-order
    /// call. Called only when <see cref="LowersParallelLoops"/>.
    /// </summary>
    public virtual void EmitParallelLoop(ModuleLowering lowering, IrFunction dispatch, LLVMValueRef dispatchFunction, LLVMBuilderRef builder) =>
        throw new InvalidOperationException($"{dispatch?.Name}: this target does not run parallel loops.");

    /// <summary>
    /// Lowers a grid intrinsic (anything but an atomic, <see cref="IntrinsicInfo.IsAtomic"/>: coordinates, the block
    /// barrier, a shared array); atomics are the shared lowering's. A target without a grid throws
    /// <see cref="CompilationException"/> saying where the intrinsic can be used.
    /// </summary>
    public virtual LLVMValueRef Intrinsic(FunctionLowering f, Instruction intrinsic)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(intrinsic);
        SourceLocation at = intrinsic.Location;
        throw new CompilationException(CompilationErrorKind.UnsupportedConstruct, f.MethodName, $"Cuda.{intrinsic.Intrinsic}", at.IlOffset, at.File, at.Line,
            "CUDA's built-ins exist only in kernels compiled for cuda (CudaTarget, or CudaTarget.Simulator() on the CPU); a kernel for every target takes an Index1D/2D/3D");
    }

    /// <summary>
    /// The address a call to a callee compiled separately (<see cref="IrFunction.IsDeclaration"/>)
    /// goes through; a target that cannot compile callees on first call throws
    /// <see cref="InvalidOperationException"/> saying so.
    /// </summary>
    public virtual LLVMValueRef CalleeSlot(ModuleLowering lowering, IrFunction callee, LLVMTypeRef type) =>
        throw new InvalidOperationException($"{callee.Name} is to be compiled when first called, and this target cannot do that.");
}
