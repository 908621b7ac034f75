using Targets.Frontend.Ir;
using Targets.Frontend.Passes;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;

namespace Targets.Llvm.Tests;

/// <summary>
/// A target defined only here, to prove the seams hold: kernels for NVPTX with no NRT. It runs the
/// frontend's passes alone, represents instances by value (and refuses to make or count them),
/// calls libdevice's <c>__nv_*</c> for transcendental math, and wraps the entry in a
/// <c>.entry</c> kernel <c>void (ptr error, params…)</c> that stores the raised status into
/// <c>error</c>. Nothing in the frontend or the shared lowering knows it exists.
/// </summary>
internal unsafe class KernelTestTarget : TargetLowering
{
    public override Pipeline Pipeline => Pipeline.Frontend;

    public override LayoutContext Layouts { get; } = new(InstanceRepresentation.ByValue);

    /// <summary>PTX names are identifiers: LLVM renames internal symbols with dots, but not an exported kernel's.</summary>
    public const string KernelSuffix = "_kernel";

    public override LLVMValueRef Transcendental(FunctionLowering f, MathFunction math, IrType type, LLVMValueRef[] args)
    {
        string name = "__nv_" + math.ToString().ToLowerInvariant() + (type == IrType.F32 ? "f" : "");
        LLVMTypeRef value = f.Types.Value(type);
        LLVMTypeRef fnType = f.Types.Context.Function(value, args.Select(_ => value).ToArray());
        LLVMValueRef fn = f.Module.Declare(name, fnType);
        fixed (LLVMValueRef* p = args)
            return LlvmApi.LLVMBuildCall2(f.Builder, fnType, fn, p, (uint)args.Length, "");
    }

    static InvalidOperationException NoNrt(string what) => new($"{what}: this kernel target has no NRT (instances are by-value structs, arrays come from the host)");

    public override LLVMValueRef NewInstance(FunctionLowering f, JitClassType layout) => throw NoNrt($"new {layout.Name}");

    public override LLVMValueRef FieldAddress(FunctionLowering f, LLVMValueRef instance, int offset) => f.ByteOffset(instance, offset);

    /// <summary>Nothing is counted here: arrays belong to the host for the kernel's whole run.</summary>
    public override void Refcount(FunctionLowering f, LLVMValueRef value, IrType type, bool increment)
    {
    }

    public override (LLVMValueRef Block, LLVMValueRef Owner) AllocateArray(FunctionLowering f, LLVMValueRef bytes, IrType element) => throw NoNrt("new T[n]");

    public override LLVMValueRef KeepArray(FunctionLowering f, LLVMValueRef descriptor, int rank) => throw NoNrt("storing an array into a field");

    public override void EmitEntry(ModuleLowering lowering, LLVMBuilderRef b)
    {
        IrFunction entry = lowering.Ir.Entry;
        LlvmTypes t = lowering.Types;
        (LLVMValueRef callee, LLVMTypeRef calleeType) = lowering.FunctionOf(0);
        LLVMTypeRef[] parameters = [t.Ptr, .. entry.ParameterTypes.Select(t.Value)];
        LLVMValueRef kernel = LlvmApi.LLVMAddFunction(lowering.Module.Handle, lowering.Name + KernelSuffix, lowering.Module.Context.Function(t.Void, parameters));
        LlvmApi.LLVMSetFunctionCallConv(kernel, LLVMCallConv.PtxKernel);
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(lowering.Module.Context.Handle, kernel, "entry"));
        LLVMValueRef record = LlvmApi.LLVMBuildAlloca(b, LlvmApi.LLVMArrayType2(t.I8, (ulong)NativeAbi.ExceptionRecordSize), "record");
        LLVMValueRef result = entry.ReturnType == IrType.Void ? LlvmApi.LLVMConstNull(t.Ptr) : LlvmApi.LLVMBuildAlloca(b, t.Value(entry.ReturnType), "result");
        var arguments = new LLVMValueRef[entry.ParameterTypes.Count + 2];
        arguments[0] = record;
        arguments[1] = result;
        for (int p = 0; p < entry.ParameterTypes.Count; p++)
            arguments[p + 2] = LlvmApi.LLVMGetParam(kernel, (uint)(p + 1));
        LLVMValueRef status;
        fixed (LLVMValueRef* a = arguments)
            status = LlvmApi.LLVMBuildCall2(b, calleeType, callee, a, (uint)arguments.Length, "status");
        LLVMBasicBlockRef raised = LlvmApi.LLVMAppendBasicBlockInContext(lowering.Module.Context.Handle, kernel, "raised");
        LLVMBasicBlockRef done = LlvmApi.LLVMAppendBasicBlockInContext(lowering.Module.Context.Handle, kernel, "done");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, status, LlvmApi.LLVMConstInt(t.I32, 0, 0), ""), raised, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, raised);
        LlvmApi.LLVMBuildStore(b, status, LlvmApi.LLVMGetParam(kernel, 0));
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
        LlvmApi.LLVMBuildRetVoid(b);
    }
}
