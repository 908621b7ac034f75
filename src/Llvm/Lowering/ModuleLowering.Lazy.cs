using System.Reflection;
using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Separately compiled callees (<see cref="CompileOptions.LazyCallees"/>): each declared callee is
/// called through a slot, a pointer that starts at a resolver. The resolver asks the target
/// (<c>nrt_resolve(token, exceptionRecord)</c>) for the callee's code, compiling it if need be;
/// given an address it patches the slot and forwards the call, so later calls go straight there;
/// given null (the callee did not compile, and the target filled the record) it raises. Every
/// module also exports its entry with the internal calling convention (<see cref="DirectSymbol"/>),
/// which is what a slot of another module ends up pointing at.
/// </summary>
public sealed unsafe partial class ModuleLowering
{
    /// <summary>The host function resolvers call: <c>ptr nrt_resolve(i64 token, ptr exceptionRecord)</c>.</summary>
    public const string ResolveCallee = "nrt_resolve";

    readonly Func<MethodBase, long>? resolveToken;
    readonly string directSymbol;

    /// <summary>The exported name of the entry function itself: <c>i32 (ptr record, ptr result, params…)</c>.</summary>
    public static string DirectSymbol(IrModule ir, string moduleName) => $"{moduleName}.{ir.Entry.Name}.direct";

    /// <summary>The slot of a declared callee (a global pointer), with its resolver as first target.</summary>
    LLVMValueRef CalleeSlot(IrFunction callee, LLVMTypeRef type)
    {
        if (resolveToken is null)
            throw new InvalidOperationException($"{callee.Name} is to be compiled when first called, and this target cannot do that.");
        LLVMValueRef slot = LlvmApi.LLVMAddGlobal(Module.Handle, Types.Ptr, $"{callee.Name}.slot");
        LlvmApi.LLVMSetLinkage(slot, LLVMLinkage.Internal);
        LLVMValueRef resolver = LlvmApi.LLVMAddFunction(Module.Handle, $"{callee.Name}.resolve", type);
        LlvmApi.LLVMSetLinkage(resolver, LLVMLinkage.Internal);
        LlvmApi.LLVMSetInitializer(slot, resolver);

        using var builder = new LlvmBuilder(Module.Context);
        LLVMBuilderRef b = builder.Handle;
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, resolver, "entry"));
        LLVMValueRef record = LlvmApi.LLVMGetParam(resolver, 0);
        LLVMValueRef token = LlvmApi.LLVMConstInt(Types.I64, (ulong)resolveToken(callee.Method), 0);
        LLVMValueRef target = CallRuntime(b, ResolveCallee, Types.Ptr, token, record);
        LLVMBasicBlockRef failed = LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, resolver, "unresolved");
        LLVMBasicBlockRef resolved = LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, resolver, "resolved");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, target, LlvmApi.LLVMConstNull(Types.Ptr), ""), failed, resolved);
        LlvmApi.LLVMPositionBuilderAtEnd(b, failed);
        LlvmApi.LLVMBuildRet(b, LlvmApi.LLVMConstInt(Types.I32, NativeAbi.StatusRaised, 0));
        LlvmApi.LLVMPositionBuilderAtEnd(b, resolved);
        LLVMValueRef patch = LlvmApi.LLVMBuildStore(b, target, slot);
        LlvmApi.LLVMSetOrdering(patch, LLVMAtomicOrdering.Release);
        LlvmApi.LLVMSetAlignment(patch, 8);
        LlvmApi.LLVMBuildRet(b, Forward(b, resolver, type, target));
        return slot;
    }

    /// <summary>The entry function, exported under <see cref="DirectSymbol"/>.</summary>
    void EmitDirectEntry(LLVMBuilderRef b)
    {
        (LLVMValueRef entry, LLVMTypeRef type) = functions[0];
        LLVMValueRef direct = LlvmApi.LLVMAddFunction(Module.Handle, directSymbol, type);
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, direct, "entry"));
        LlvmApi.LLVMBuildRet(b, Forward(b, direct, type, entry));
    }

    /// <summary>Calls <paramref name="callee"/> with all of <paramref name="from"/>'s parameters; returns the status.</summary>
    static LLVMValueRef Forward(LLVMBuilderRef b, LLVMValueRef from, LLVMTypeRef type, LLVMValueRef callee)
    {
        uint count = LlvmApi.LLVMCountParams(from);
        var arguments = new LLVMValueRef[count];
        for (uint p = 0; p < count; p++)
            arguments[p] = LlvmApi.LLVMGetParam(from, p);
        fixed (LLVMValueRef* a = arguments)
            return LlvmApi.LLVMBuildCall2(b, type, callee, a, count, "");
    }
}
