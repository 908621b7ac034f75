using Targets.Frontend.Ir;
using Targets.Frontend.Passes;
using Targets.Llvm;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;

namespace Targets.Cuda.Lowering;

/// <summary>
/// The cuda target's <see cref="TargetLowering"/>, for the device (NVPTX) and for the simulator
/// (the host CPU) alike, so the simulator runs exactly the code shape the device gets: no NRT
/// (nothing is counted, nothing allocated on a heap), jit-class instances are immutable C structs
/// reached by pointer (made on the stack by constructors inside kernels), arrays are the host's
/// for the whole launch. They differ only where the hardware does: grid coordinates, the barrier
/// and shared memory are PTX special registers, <c>bar.sync</c> and <c>.shared</c> globals on the
/// device, and calls into the simulator's runtime on the CPU (<see cref="Runtime"/>); math is
/// libdevice's <c>__nv_*</c> on the device and the C library on the CPU. The entry is the kernel of
/// <see cref="CudaEntry"/> (<c>CudaLowering.Entry.cs</c>).
/// </summary>
public sealed unsafe partial class CudaLowering : TargetLowering
{
    /// <summary>The simulator runtime's entry points compiled code calls (defined by the simulator in its JIT).</summary>
    public static class Runtime
    {
        /// <summary><c>i32 (i32 kind)</c>: the calling thread's grid coordinate of <see cref="IntrinsicKind"/> kind.</summary>
        public const string Coordinate = "targets_sim_coordinate";
        /// <summary><c>i32 ()</c>: the block barrier; nonzero when the block's threads diverged (some returned instead).</summary>
        public const string Sync = "targets_sim_sync";
        /// <summary><c>ptr (i32 site, i64 bytes)</c>: the calling block's shared array of a site.</summary>
        public const string Shared = "targets_sim_shared";
        /// <summary><c>i32 (ptr bits, i32 kind, i32 lane)</c>: a warp shuffle of the 32 bits at <c>bits</c>, replaced by the source lane's; nonzero when the warp diverged.</summary>
        public const string Shuffle = "targets_sim_shuffle";
    }

    /// <summary>The message of a warp shuffle the simulator saw diverge.</summary>
    public const string DivergedShuffle = "A warp shuffle (Cuda.ShuffleDown/ShuffleXor/Shuffle) was not reached by every lane of the warp (some threads returned first): on a device the result would be undefined.";

    /// <summary>The message of a barrier the simulator saw diverge.</summary>
    public const string DivergedBarrier = "Cuda.SyncThreads() was not reached by every thread of the block (some threads returned first): on a device the block would hang or read stale shared memory.";

    readonly bool simulated;
    readonly bool fastMath;
    int sharedSites;

    /// <summary>Single-precision functions libdevice has a fast approximation of (<c>__nv_fast_*</c>).</summary>
    static readonly HashSet<string> FastFunctions = ["sinf", "cosf", "tanf", "expf", "logf", "log2f", "log10f", "powf"];

    /// <param name="layouts">The jit class layouts (instances <see cref="InstanceRepresentation.ByValue"/>).</param>
    /// <param name="entry">How the host starts the code.</param>
    /// <param name="simulated">Lower for the simulator on the host CPU instead of NVPTX.</param>
    /// <param name="fastMath">On the device, call libdevice's fast single-precision approximations.</param>
    /// <param name="boundsChecks">Keep array accesses checked (<see cref="CudaPasses.For"/>).</param>
    public CudaLowering(LayoutContext layouts, CudaEntry entry, bool simulated, bool fastMath = false, bool boundsChecks = true)
    {
        Pipeline = CudaPasses.For(boundsChecks);
        this.fastMath = fastMath;
        ArgumentNullException.ThrowIfNull(layouts);
        ArgumentNullException.ThrowIfNull(entry);
        if (layouts.Representation != InstanceRepresentation.ByValue)
            throw new ArgumentException($"The cuda target represents instances by value; {layouts} is {layouts.Representation}.", nameof(layouts));
        Layouts = layouts;
        Entry = entry;
        this.simulated = simulated;
    }

    public CudaEntry Entry { get; }

    public override Pipeline Pipeline { get; }

    public override LayoutContext Layouts { get; }

    /// <summary>The simulator calls the C library as the host targets do (.NET's results); the device libdevice's <c>__nv_*</c> (Libdevice.cs).</summary>
    public override LLVMValueRef Transcendental(FunctionLowering f, MathFunction math, IrType type, LLVMValueRef[] args)
    {
        ArgumentNullException.ThrowIfNull(f);
        string name = math.ToString().ToLowerInvariant() + (type == IrType.F32 ? "f" : "");
        if (simulated)
            return f.CallMath(name, type, args, asWritten: true);
        return f.CallMath((fastMath && FastFunctions.Contains(name) ? "__nv_fast_" : "__nv_") + name, type, args, asWritten: false);
    }

    /// <summary>A constructor inside a kernel makes a local value: zeroed stack memory of the layout's size.</summary>
    public override LLVMValueRef NewInstance(FunctionLowering f, JitClassType layout)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(layout);
        LLVMTypeRef bytes = LlvmApi.LLVMArrayType2(f.Types.I64, (ulong)Math.Max(1, (layout.Size + 7) / 8));
        LLVMValueRef instance = f.Alloca(bytes);
        LlvmApi.LLVMBuildStore(f.Builder, LlvmApi.LLVMConstNull(bytes), instance);
        return instance;
    }

    public override LLVMValueRef FieldAddress(FunctionLowering f, LLVMValueRef instance, int offset)
    {
        ArgumentNullException.ThrowIfNull(f);
        return f.ByteOffset(instance, offset);
    }

    /// <summary>Nothing is counted: arrays belong to the host for the whole launch, instances are values.</summary>
    public override void Refcount(FunctionLowering f, LLVMValueRef value, IrType type, bool increment)
    {
    }

    // CudaPasses refuses both with the line before lowering; reaching here is a compiler bug.
    public override (LLVMValueRef Block, LLVMValueRef Owner) AllocateArray(FunctionLowering f, LLVMValueRef bytes, IrType element) =>
        throw new InvalidOperationException("the cuda target allocates no arrays (CudaPasses should have refused new T[n])");

    public override LLVMValueRef KeepArray(FunctionLowering f, LLVMValueRef descriptor, int rank) =>
        throw new InvalidOperationException("the cuda target stores no arrays into fields (CudaPasses should have refused it)");

    /// <summary>Constant data goes to the device's constant memory (<c>.const</c>, cached, read by every thread).</summary>
    public override uint ConstantAddressSpace => simulated ? 0u : 4u;

    public override LLVMValueRef Intrinsic(FunctionLowering f, Instruction intrinsic)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(intrinsic);
        LLVMBuilderRef b = f.Builder;
        LlvmTypes t = f.Types;
        switch (intrinsic.Intrinsic)
        {
            case IntrinsicKind.SyncThreads when simulated:
                {
                    LLVMValueRef diverged = f.Module.Call(b, Runtime.Sync, t.I32);
                    f.RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, diverged, f.Int32(0), ""),
                        RaiseInfo.Of<InvalidOperationException>(DivergedBarrier), "barrier");
                    return default;
                }
            case IntrinsicKind.SyncThreads:
                f.Module.Call(b, "llvm.nvvm.barrier0", t.Void);
                return default;
            case IntrinsicKind.SharedArray:
                return SharedArray(f, intrinsic.TargetType!, intrinsic.Constant);
            case IntrinsicKind.ShuffleDown or IntrinsicKind.ShuffleXor or IntrinsicKind.ShuffleIndex:
                return Shuffle(f, intrinsic);
            default:
                return Coordinate(f.Module, b, intrinsic.Intrinsic);
        }
    }

    /// <summary>A grid coordinate of the calling thread (<see cref="IntrinsicInfo.IsCoordinate"/>).</summary>
    LLVMValueRef Coordinate(ModuleLowering m, LLVMBuilderRef b, IntrinsicKind kind)
    {
        if (!IntrinsicInfo.IsCoordinate(kind))
            throw new InvalidOperationException($"{kind} is not a grid coordinate");
        if (simulated)
            return m.Call(b, Runtime.Coordinate, m.Types.I32, LlvmApi.LLVMConstInt(m.Types.I32, (ulong)kind, 0));
        int n = kind - IntrinsicKind.ThreadIdxX;
        string register = (n / 3) switch { 0 => "tid", 1 => "ctaid", 2 => "ntid", _ => "nctaid" };
        return m.Call(b, $"llvm.nvvm.read.ptx.sreg.{register}.{"xyz"[n % 3]}", m.Types.I32);
    }

    /// <summary>
    /// A warp shuffle of a 32-bit value: <c>shfl.sync</c> over the full warp on the device; on the
    /// simulator a call that exchanges through the block's warp state (and reports a warp some of
    /// whose lanes returned first).
    /// </summary>
    LLVMValueRef Shuffle(FunctionLowering f, Instruction shuffle)
    {
        LLVMBuilderRef b = f.Builder;
        LlvmTypes t = f.Types;
        IrType type = shuffle.TargetType!;
        LLVMValueRef value = f.Value(shuffle.Operands[0]), lane = f.Value(shuffle.Operands[1]);
        if (!simulated)
        {
            string mode = shuffle.Intrinsic switch { IntrinsicKind.ShuffleDown => "down", IntrinsicKind.ShuffleXor => "bfly", _ => "idx" };
            return f.Module.Call(b, $"llvm.nvvm.shfl.sync.{mode}.{(type.IsFloat ? "f32" : "i32")}", t.Value(type), f.Int32(-1), value, lane, f.Int32(31));
        }
        LLVMValueRef slot = f.Alloca(t.I32);
        LlvmApi.LLVMBuildStore(b, type.IsFloat ? LlvmApi.LLVMBuildBitCast(b, value, t.I32, "") : value, slot);
        LLVMValueRef diverged = f.Module.Call(b, Runtime.Shuffle, t.I32, slot, f.Int32((int)shuffle.Intrinsic), lane);
        f.RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, diverged, f.Int32(0), ""), RaiseInfo.Of<InvalidOperationException>(DivergedShuffle), "shuffle");
        LLVMValueRef result = LlvmApi.LLVMBuildLoad2(b, t.I32, slot, "");
        return type.IsFloat ? LlvmApi.LLVMBuildBitCast(b, result, t.F32, "") : result;
    }

    /// <summary>
    /// A block's shared array: its memory (a <c>.shared</c> global on the device, the simulator's
    /// per-block buffer on the CPU) behind a descriptor on the stack, as any array is reached.
    /// </summary>
    LLVMValueRef SharedArray(FunctionLowering f, IrType element, long length)
    {
        LLVMBuilderRef b = f.Builder;
        LlvmTypes t = f.Types;
        long bytes = length * element.Size;
        LLVMValueRef data;
        int site = sharedSites++;
        if (simulated)
            data = f.Module.Call(b, Runtime.Shared, t.Ptr, f.Int32(site), f.Int64(bytes));
        else
        {
            LLVMTypeRef type = LlvmApi.LLVMArrayType2(t.Memory(element), (ulong)length);
            LLVMValueRef global = LlvmApi.LLVMAddGlobalInAddressSpace(f.Module.Module.Handle, type, $"{f.Module.Name}_shared{site}", 3);
            LlvmApi.LLVMSetInitializer(global, LlvmApi.LLVMGetUndef(type));
            LlvmApi.LLVMSetLinkage(global, LLVMLinkage.Internal);
            LlvmApi.LLVMSetAlignment(global, 16);
            data = LlvmApi.LLVMBuildAddrSpaceCast(b, global, t.Ptr, "");
        }
        LLVMValueRef descriptor = f.Alloca(LlvmApi.LLVMArrayType2(t.I8, (ulong)NativeAbi.DescriptorSize(1)));
        f.StoreAt(descriptor, NativeAbi.DescriptorOwner, LlvmApi.LLVMConstNull(t.Ptr));
        f.StoreAt(descriptor, NativeAbi.DescriptorData, data);
        f.StoreAt(descriptor, NativeAbi.DescriptorLength, f.Int64(length));
        return descriptor;
    }
}
