using Targets.Frontend.Ir;
using Targets.Llvm;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;

namespace Targets.Cpu.Host;

/// <summary>
/// Separately compiled callees (<see cref="CompileOptions.LazyCallees"/>): each declared callee is
/// called through a slot, a pointer that starts at a resolver. The resolver asks the host
/// (<c>nrt_resolve(token, exceptionRecord)</c>) for the callee's code, compiling it if need be;
/// given an address it patches the slot and forwards the call, so later calls go straight there;
/// given null (the callee did not compile, and the host filled the record) it raises. Every
/// module also exports its entry with the internal calling convention (<see cref="DirectSymbol"/>),
/// which is what a slot of another module ends up pointing at.
/// </summary>
public unsafe partial class HostLowering
{
    /// <summary>The host function resolvers call: <c>ptr nrt_resolve(i64 token, ptr exceptionRecord)</c>.</summary>
    public const string ResolveCallee = "nrt_resolve";

    /// <summary>The slot of a declared callee (a global pointer), with its resolver as first target.</summary>
    public override LLVMValueRef CalleeSlot(ModuleLowering lowering, IrFunction callee, LLVMTypeRef type)
    {
        ArgumentNullException.ThrowIfNull(lowering);
        ArgumentNullException.ThrowIfNull(callee);
        if (resolveToken is null)
            return base.CalleeSlot(lowering, callee, type);
        LlvmModule m = lowering.Module;
        LlvmTypes t = lowering.Types;
        LLVMValueRef slot = LlvmApi.LLVMAddGlobal(m.Handle, t.Ptr, $"{callee.Name}.slot");
        LlvmApi.LLVMSetLinkage(slot, LLVMLinkage.Internal);
        LLVMValueRef resolver = LlvmApi.LLVMAddFunction(m.Handle, $"{callee.Name}.resolve", type);
        LlvmApi.LLVMSetLinkage(resolver, LLVMLinkage.Internal);
        LlvmApi.LLVMSetInitializer(slot, resolver);

        using var builder = new LlvmBuilder(m.Context);
        LLVMBuilderRef b = builder.Handle;
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(m.Context.Handle, resolver, "entry"));
        LLVMValueRef record = LlvmApi.LLVMGetParam(resolver, 0);
        LLVMValueRef token = LlvmApi.LLVMConstInt(t.I64, (ulong)resolveToken(callee), 0);
        LLVMValueRef target = lowering.Call(b, ResolveCallee, t.Ptr, token, record);
        LLVMBasicBlockRef failed = LlvmApi.LLVMAppendBasicBlockInContext(m.Context.Handle, resolver, "unresolved");
        LLVMBasicBlockRef resolved = LlvmApi.LLVMAppendBasicBlockInContext(m.Context.Handle, resolver, "resolved");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, target, LlvmApi.LLVMConstNull(t.Ptr), ""), failed, resolved);
        LlvmApi.LLVMPositionBuilderAtEnd(b, failed);
        LlvmApi.LLVMBuildRet(b, LlvmApi.LLVMConstInt(t.I32, NativeAbi.StatusRaised, 0));
        LlvmApi.LLVMPositionBuilderAtEnd(b, resolved);
        LLVMValueRef patch = LlvmApi.LLVMBuildStore(b, target, slot);
        LlvmApi.LLVMSetOrdering(patch, LLVMAtomicOrdering.Release);
        LlvmApi.LLVMSetAlignment(patch, 8);
        LlvmApi.LLVMBuildRet(b, ModuleLowering.Forward(b, resolver, type, target));
        return slot;
    }
}
