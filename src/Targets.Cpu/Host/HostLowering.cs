using Targets.Frontend.Ir;
using Targets.Frontend.Passes;
using Targets.Llvm;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;
using Targets.Runtime.Passes;

namespace Targets.Cpu.Host;

/// <summary>
/// The host's <see cref="TargetLowering"/>, the cpu target's and the base of the parallel target's
/// (which runs outlined Prange loops across cores: <c>ParallelLowering</c>): NRT's passes
/// after the frontend's, instances as reference-counted MemInfos (<c>HostLowering.Nrt.cs</c>),
/// math through the C library by name (as .NET itself calls it on Linux, so results match bit for
/// bit), and an entry trampoline <c>i32 @module.name.entry(ptr args, ptr result, ptr record)</c>
/// that reads each argument from an 8-byte slot and writes the result in its .NET memory
/// representation, so host stubs call every signature the same way. Callees compiled on first
/// call go through slots patched by <see cref="ResolveCallee"/> (<c>HostLowering.Slots.cs</c>).
/// </summary>
public unsafe partial class HostLowering : TargetLowering
{
    readonly Func<IrFunction, long>? resolveToken;
    readonly Func<JitClassType, string> destructorOf;
    readonly bool checkedRefcounts;

    /// <param name="layouts">The jit class layouts compiled code uses (instances must be <see cref="InstanceRepresentation.Counted"/>).</param>
    /// <param name="destructorOf">The symbol of a layout's destructor, defined outside the module (it outlives the module's code).</param>
    /// <param name="resolveToken">
    /// Names each separately compiled callee to <see cref="ResolveCallee"/>; without it, a module
    /// with such callees cannot be lowered.
    /// </param>
    /// <param name="pipeline">The passes to run; NRT's pipeline when null.</param>
    /// <param name="checkedRefcounts">Every incref and decref calls the runtime, which traces and checks in debug mode (code compiled in debug mode).</param>
    public HostLowering(LayoutContext layouts, Func<JitClassType, string> destructorOf, Func<IrFunction, long>? resolveToken = null, Pipeline? pipeline = null,
        bool checkedRefcounts = false)
    {
        this.checkedRefcounts = checkedRefcounts;
        ArgumentNullException.ThrowIfNull(destructorOf);
        this.destructorOf = destructorOf;
        ArgumentNullException.ThrowIfNull(layouts);
        if (layouts.Representation != InstanceRepresentation.Counted)
            throw new ArgumentException($"The host represents instances as counted references; {layouts} is {layouts.Representation}.", nameof(layouts));
        Layouts = layouts;
        this.resolveToken = resolveToken;
        Pipeline = pipeline ?? NrtPasses.Pipeline;
    }

    public override Pipeline Pipeline { get; }

    public override LayoutContext Layouts { get; }

    /// <summary>The suffix of the host-callable trampoline of an entry function.</summary>
    public const string EntrySuffix = ".entry";

    /// <summary>The name of the entry's host trampoline.</summary>
    public static string EntrySymbol(IrModule ir, string moduleName)
    {
        ArgumentNullException.ThrowIfNull(ir);
        return $"{moduleName}.{ir.Entry.Name}{EntrySuffix}";
    }

    /// <summary>The exported name of the entry function itself: <c>i32 (ptr record, ptr result, params…)</c>, what slots point at.</summary>
    public static string DirectSymbol(IrModule ir, string moduleName)
    {
        ArgumentNullException.ThrowIfNull(ir);
        return $"{moduleName}.{ir.Entry.Name}.direct";
    }

    /// <summary>The C library's function by name, called as written (as .NET calls it on Linux, so results match bit for bit).</summary>
    public override LLVMValueRef Transcendental(FunctionLowering f, MathFunction math, IrType type, LLVMValueRef[] args)
    {
        ArgumentNullException.ThrowIfNull(f);
        return f.CallMath(math.ToString().ToLowerInvariant() + (type == IrType.F32 ? "f" : ""), type, args, asWritten: true);
    }

    public override void EmitEntry(ModuleLowering lowering, LLVMBuilderRef builder)
    {
        ArgumentNullException.ThrowIfNull(lowering);
        EmitTrampoline(lowering, builder);
        (LLVMValueRef entry, LLVMTypeRef type) = lowering.FunctionOf(0);
        LLVMValueRef direct = LlvmApi.LLVMAddFunction(lowering.Module.Handle, DirectSymbol(lowering.Ir, lowering.Name), type);
        LlvmApi.LLVMPositionBuilderAtEnd(builder, LlvmApi.LLVMAppendBasicBlockInContext(lowering.Module.Context.Handle, direct, "entry"));
        LlvmApi.LLVMBuildRet(builder, ModuleLowering.Forward(builder, direct, type, entry));
    }

    void EmitTrampoline(ModuleLowering m, LLVMBuilderRef b)
    {
        IrFunction entry = m.Ir.Entry;
        LlvmTypes types = m.Types;
        LlvmContext context = m.Module.Context;
        LLVMTypeRef type = context.Function(types.I32, types.Ptr, types.Ptr, types.Ptr);
        LLVMValueRef trampoline = LlvmApi.LLVMAddFunction(m.Module.Handle, EntrySymbol(m.Ir, m.Name), type);
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, trampoline, "entry"));
        LLVMValueRef args = LlvmApi.LLVMGetParam(trampoline, 0), result = LlvmApi.LLVMGetParam(trampoline, 1), record = LlvmApi.LLVMGetParam(trampoline, 2);

        (LLVMValueRef callee, LLVMTypeRef calleeType) = m.FunctionOf(0);
        // A constructor's trampoline makes the instance itself: .NET passes only the arguments
        // and gets the new instance (one reference) back.
        bool constructor = entry.IsConstructor;
        int first = constructor ? 1 : 0;
        var arguments = new LLVMValueRef[entry.ParameterTypes.Count + 2];
        LLVMValueRef returnSlot = entry.ReturnType == IrType.Void ? LlvmApi.LLVMConstNull(types.Ptr) : LlvmApi.LLVMBuildAlloca(b, types.Value(entry.ReturnType), "result");
        arguments[0] = record;
        arguments[1] = returnSlot;
        for (int p = first; p < entry.ParameterTypes.Count; p++)
        {
            IrType parameter = entry.ParameterTypes[p];
            LLVMValueRef index = LlvmApi.LLVMConstInt(types.I64, (ulong)((p - first) * NativeAbi.ArgumentSlotSize), 0);
            LLVMValueRef slot = LlvmApi.LLVMBuildInBoundsGEP2(b, types.I8, args, &index, 1, "");
            // An aggregate's slot holds the address of the host's copy: passed on as the callee takes it (LlvmTypes.Parameter).
            LLVMValueRef loaded = LlvmApi.LLVMBuildLoad2(b, parameter.Kind == IrTypeKind.Aggregate ? types.Ptr : types.Memory(parameter), slot, "");
            arguments[p + 2] = Widen(b, types, loaded, parameter);
        }
        LLVMValueRef instance = default;
        if (constructor)
        {
            JitClassType layout = Layouts.Layout(entry.ParameterTypes[0].JitClass!);
            LLVMValueRef size = LlvmApi.LLVMConstInt(types.I64, (ulong)layout.Size, 0);
            instance = AllocateInstance(m, b, layout);
            LLVMBasicBlockRef failed = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, trampoline, "alloc.failed");
            LLVMBasicBlockRef made = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, trampoline, "made");
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, instance, LlvmApi.LLVMConstNull(types.Ptr), ""), failed, made);
            LlvmApi.LLVMPositionBuilderAtEnd(b, failed);
            StoreRecord(b, types, record, NativeAbi.ExceptionType, LlvmApi.LLVMConstInt(types.I32, (ulong)RaiseInfo.IndexOf(typeof(OutOfMemoryException)), 0));
            StoreRecord(b, types, record, NativeAbi.ExceptionFormat, LlvmApi.LLVMConstInt(types.I32, (ulong)NativeAbi.ExceptionFormatKind.OutOfMemory, 0));
            StoreRecord(b, types, record, NativeAbi.ExceptionValueA, size);
            LlvmApi.LLVMBuildRet(b, LlvmApi.LLVMConstInt(types.I32, NativeAbi.StatusRaised, 0));
            LlvmApi.LLVMPositionBuilderAtEnd(b, made);
            arguments[2] = instance;
        }
        LLVMValueRef status;
        fixed (LLVMValueRef* a = arguments)
            status = LlvmApi.LLVMBuildCall2(b, calleeType, callee, a, (uint)arguments.Length, "status");
        if (constructor)
        {
            // The constructor raised: the half-made instance goes. Either way the host reads the
            // result only on success.
            LLVMBasicBlockRef raised = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, trampoline, "ctor.raised");
            LLVMBasicBlockRef done = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, trampoline, "ctor.done");
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, status, LlvmApi.LLVMConstInt(types.I32, 0, 0), ""), raised, done);
            LlvmApi.LLVMPositionBuilderAtEnd(b, raised);
            ReleaseInstance(m, b, instance);
            LlvmApi.LLVMBuildRet(b, status);
            LlvmApi.LLVMPositionBuilderAtEnd(b, done);
            LlvmApi.LLVMBuildStore(b, instance, result);
        }
        else if (entry.ReturnType != IrType.Void)
        {
            // Written even on failure; the host reads it only on success.
            LLVMValueRef value = LlvmApi.LLVMBuildLoad2(b, types.Value(entry.ReturnType), returnSlot, "");
            LLVMValueRef memory = types.Memory(entry.ReturnType) == types.Value(entry.ReturnType)
                ? value : LlvmApi.LLVMBuildTrunc(b, value, types.Memory(entry.ReturnType), "");
            LLVMValueRef store = LlvmApi.LLVMBuildStore(b, memory, result);
            if (LlvmTypes.Alignment(entry.ReturnType) is > 0 and uint alignment)
                LlvmApi.LLVMSetAlignment(store, alignment); // the host's local is aligned as .NET aligns it, not as a whole vector
        }
        LlvmApi.LLVMBuildRet(b, status);
    }

    static void StoreRecord(LLVMBuilderRef b, LlvmTypes types, LLVMValueRef record, int offset, LLVMValueRef value)
    {
        LLVMValueRef index = LlvmApi.LLVMConstInt(types.I64, (ulong)offset, 0);
        LlvmApi.LLVMBuildStore(b, value, LlvmApi.LLVMBuildInBoundsGEP2(b, types.I8, record, &index, 1, ""));
    }

    static LLVMValueRef Widen(LLVMBuilderRef b, LlvmTypes types, LLVMValueRef value, IrType type)
    {
        if (type.IsFloat || type.IsReference || types.Memory(type) == types.Value(type))
            return value;
        return type.IsUnsigned ? LlvmApi.LLVMBuildZExt(b, value, types.I32, "") : LlvmApi.LLVMBuildSExt(b, value, types.I32, "");
    }
}
