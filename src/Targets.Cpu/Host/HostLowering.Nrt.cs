using Targets.Frontend.Ir;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>
/// NRT in host code: an instance is a pointer to its compact header with the C struct right after it
/// (<see cref="NrtRuntimeIr.HeaderSize"/>, see HostLowering.Allocation.cs); arrays made by compiled code are MemInfos whose data
/// holds the descriptor and the elements; reference counting is inlined with the runtime's
/// semantics; .NET arrays a field keeps are adopted into MemInfos of their own.
/// </summary>
public unsafe partial class HostLowering
{
    public override LLVMValueRef NewInstance(FunctionLowering f, JitClassType layout)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(layout);
        LLVMValueRef instance = AllocateInstance(f.Module, f.Builder, layout, f);
        f.RaiseOutOfMemoryIfNull(instance, f.Int64(layout.Size));
        return instance;
    }

    /// <summary>The record the instance's tag points to, the runtime's low bits cleared.</summary>
    public override LLVMValueRef ClassRecordOf(FunctionLowering f, LLVMValueRef instance)
    {
        ArgumentNullException.ThrowIfNull(f);
        LlvmTypes t = f.Types;
        LLVMValueRef tag = LlvmApi.LLVMBuildPtrToInt(f.Builder, f.LoadAt(t.Ptr, instance, 8), t.I64, "");
        return LlvmApi.LLVMBuildIntToPtr(f.Builder, LlvmApi.LLVMBuildAnd(f.Builder, tag, f.Int64(~(long)NrtRuntimeIr.TagBits), ""), t.Ptr, "record");
    }

    static void ReleaseInstance(ModuleLowering m, LLVMBuilderRef b, LLVMValueRef instance) =>
        m.Call(b, NrtRuntimeIr.Decref, m.Types.Void, instance);

    /// <summary>
    /// An instance's data follows its header in the same block: its address is computed, not
    /// loaded — one dependent load less per field access, which list walks feel.
    /// </summary>
    public override LLVMValueRef FieldAddress(FunctionLowering f, LLVMValueRef instance, int offset)
    {
        ArgumentNullException.ThrowIfNull(f);
        return f.ByteOffset(instance, NrtRuntimeIr.HeaderSize + offset);
    }

    /// <summary>
    /// One NRT allocation (zeroed); the descriptor's owner is the MemInfo. An array of numbers has
    /// no destructor; an array of instances (elements start null) has the runtime's
    /// <c>nrt_release_elements</c>, which releases each element it still holds; an array of structs
    /// that hold references, or of arrays, has <c>nrt_release_struct_elements</c>, told where they are in each
    /// element by the MemInfo's destructor info (<see cref="StructElements"/>).
    /// Small arrays come from the thread's pool inline (see <see cref="AllocateArrayBlock"/>).
    /// </summary>
    public override (LLVMValueRef Block, LLVMValueRef Owner) AllocateArray(FunctionLowering f, LLVMValueRef bytes, IrType element)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(element);
        LlvmTypes t = f.Types;
        // Elements that are descriptors (a jagged array's rows) release their owners: the struct elements' destructor, one array word each.
        ulong? info = element.Kind == IrTypeKind.Array ? StructElements.OfArrays : element.IsCounted != element.HoldsCounted ? StructElements.InfoOf(element.Aggregate!) : null;
        LLVMValueRef destructor = info is not null ? ElementsDestructor(f.Module, NrtRuntimeIr.ReleaseStructElements)
            : element.IsCounted ? ElementsDestructor(f.Module, NrtRuntimeIr.ReleaseElements)
            : LlvmApi.LLVMConstNull(t.Ptr);
        LLVMValueRef memInfo = AllocateArrayBlock(f, bytes, destructor);
        f.RaiseOutOfMemoryIfNull(memInfo, bytes);
        if (info is ulong words)
            f.StoreAt(memInfo, NrtRuntimeIr.DtorInfoOffset, LlvmApi.LLVMConstIntToPtr(f.Int64(unchecked((long)words)), t.Ptr));
        return (f.LoadAt(t.Ptr, memInfo, NrtRuntimeIr.DataOffset), memInfo);
    }

    /// <summary>
    /// A view (<c>MemoryMarshal.Cast</c>): a MemInfo holding only a descriptor, whose data points into the source's
    /// elements and whose destructor (<c>nrt_release_view</c>) releases the source's owner, counted here once more. The
    /// block is allocated before the count is taken, so a failed allocation raises with nothing to undo.
    /// </summary>
    public override LLVMValueRef ArrayView(FunctionLowering f, LLVMValueRef source, LLVMValueRef offset, LLVMValueRef length)
    {
        ArgumentNullException.ThrowIfNull(f);
        LlvmTypes t = f.Types;
        LLVMBuilderRef b = f.Builder;
        LLVMBasicBlockRef entry = LlvmApi.LLVMGetInsertBlock(b), make = f.AppendBlock("view"), done = f.AppendBlock("view.done");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, source, LlvmApi.LLVMConstNull(t.Ptr), ""), done, make);

        LlvmApi.LLVMPositionBuilderAtEnd(b, make);
        LLVMValueRef bytes = f.Int64(NativeAbi.DescriptorSize(1));
        LLVMValueRef memInfo = AllocateArrayBlock(f, bytes, ElementsDestructor(f.Module, NrtRuntimeIr.ReleaseView));
        f.RaiseOutOfMemoryIfNull(memInfo, bytes);
        LLVMValueRef owner = f.LoadDescriptorField(t.Ptr, source, NativeAbi.DescriptorOwner);
        RefcountMemInfo(f, owner, increment: true, null);
        f.StoreAt(memInfo, NrtRuntimeIr.DtorInfoOffset, owner);
        LLVMValueRef view = f.LoadAt(t.Ptr, memInfo, NrtRuntimeIr.DataOffset);
        LLVMValueRef data = f.LoadDescriptorField(t.Ptr, source, NativeAbi.DescriptorData);
        f.StoreAt(view, NativeAbi.DescriptorOwner, memInfo);
        f.StoreAt(view, NativeAbi.DescriptorData, LlvmApi.LLVMBuildGEP2(b, t.I8, data, &offset, 1, ""));
        f.StoreAt(view, NativeAbi.DescriptorLength, LlvmApi.LLVMBuildSExt(b, length, t.I64, ""));
        f.StoreAt(view, NativeAbi.DescriptorHost, LlvmApi.LLVMConstNull(t.Ptr));
        LLVMBasicBlockRef made = LlvmApi.LLVMGetInsertBlock(b);
        LlvmApi.LLVMBuildBr(b, done);

        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
        LLVMValueRef result = LlvmApi.LLVMBuildPhi(b, t.Ptr, "view");
        LLVMValueRef* values = stackalloc LLVMValueRef[] { LlvmApi.LLVMConstNull(t.Ptr), view };
        LLVMBasicBlockRef* blocks = stackalloc LLVMBasicBlockRef[] { entry, made };
        LlvmApi.LLVMAddIncoming(result, values, blocks, 2);
        return result;
    }

    /// <summary>A static readonly field's array: an external symbol the host defines at the array's descriptor (see <see cref="StaticArrays"/>).</summary>
    public override LLVMValueRef StaticArray(FunctionLowering f, System.Reflection.FieldInfo field)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(field);
        StaticArrays.Define(field);
        string name = StaticArrays.SymbolOf(field);
        LLVMModuleRef module = f.Module.Module.Handle;
        LLVMValueRef global = LlvmApi.LLVMGetNamedGlobal(module, name);
        if (global.IsNull)
            global = LlvmApi.LLVMAddGlobal(module, f.Types.I8, name); // a declaration: its address is the descriptor's
        return global;
    }

    /// <summary>
    /// A .NET array is only lent for the call (pinned by the caller, its descriptor on the caller's
    /// stack); a field may keep it past the call, so a lent array is adopted first: pinned by a
    /// GCHandle in a MemInfo of its own (<c>nrt_adopt_array</c>), whose reference the field takes.
    /// Arrays made by compiled code (owner set) and null pass through.
    /// </summary>
    public override LLVMValueRef KeepArray(FunctionLowering f, LLVMValueRef descriptor, int rank)
    {
        ArgumentNullException.ThrowIfNull(f);
        LLVMBuilderRef b = f.Builder;
        LlvmTypes t = f.Types;
        LLVMBasicBlockRef check = f.AppendBlock("lent.check");
        LLVMBasicBlockRef adopt = f.AppendBlock("lent.adopt");
        LLVMBasicBlockRef done = f.AppendBlock("lent.done");
        LLVMBasicBlockRef entry = LlvmApi.LLVMGetInsertBlock(b);
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, descriptor, LlvmApi.LLVMConstNull(t.Ptr), ""), done, check);
        LlvmApi.LLVMPositionBuilderAtEnd(b, check);
        LLVMValueRef owner = f.LoadDescriptorField(t.Ptr, descriptor, NativeAbi.DescriptorOwner);
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, owner, LlvmApi.LLVMConstNull(t.Ptr), ""), adopt, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, adopt);
        LLVMValueRef adopted = f.Module.Call(b, NrtRuntimeIr.AdoptArray, t.Ptr, descriptor, f.Int32(rank));
        f.RaiseOutOfMemoryIfNull(adopted, f.Int64(NativeAbi.DescriptorSize(rank)));
        LLVMBasicBlockRef adoptedBlock = LlvmApi.LLVMGetInsertBlock(b);
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
        LLVMValueRef result = LlvmApi.LLVMBuildPhi(b, t.Ptr, "");
        LLVMValueRef* values = stackalloc LLVMValueRef[] { descriptor, descriptor, adopted };
        LLVMBasicBlockRef* blocks = stackalloc LLVMBasicBlockRef[] { entry, check, adoptedBlock };
        LlvmApi.LLVMAddIncoming(result, values, blocks, 3);
        return result;
    }

    /// <summary>
    /// A destructor of arrays the runtime defines, declared on first use: <c>nrt_release_elements</c>
    /// (arrays of jit class instances, one for every class and rank: elements are MemInfo pointers),
    /// <c>nrt_release_struct_elements</c> (arrays of structs that hold references) or <c>nrt_release_view</c> (views).
    /// </summary>
    static LLVMValueRef ElementsDestructor(ModuleLowering m, string name) =>
        m.Declare(name, m.Module.Context.Function(m.Types.Void, m.Types.Ptr, m.Types.I64, m.Types.Ptr, m.Types.Ptr));

    /// <summary>The runtime's process-wide state block (<c>@nrt_state</c>), declared on first use in a module.</summary>
    static LLVMValueRef State(ModuleLowering m)
    {
        LLVMValueRef existing = LlvmApi.LLVMGetNamedGlobal(m.Module.Handle, NrtRuntimeIr.State);
        return existing.IsNull ? LlvmApi.LLVMAddGlobal(m.Module.Handle, LlvmApi.LLVMArrayType2(m.Types.I64, (ulong)NrtState.Fields), NrtRuntimeIr.State) : existing;
    }
}
