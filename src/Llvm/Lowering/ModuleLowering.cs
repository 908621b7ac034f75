using System.Text;
using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Lowers an <see cref="IrModule"/> into an LLVM module. Every IR function becomes an internal
/// <c>i32 @name(ptr exceptionRecord, ptr result, params…)</c> returning a status (the ABI of
/// DESIGN.md); the entry also gets an external trampoline <c>i32 @name.entry(ptr args, ptr result,
/// ptr exceptionRecord)</c> that reads each argument from an 8-byte slot and writes the result
/// in its .NET memory representation, so the host calls every signature the same way.
/// </summary>
public sealed unsafe partial class ModuleLowering
{
    readonly Dictionary<string, (LLVMValueRef, LLVMTypeRef)> intrinsics = [];
    readonly Dictionary<string, LLVMValueRef> strings = [];
    readonly (LLVMValueRef Function, LLVMTypeRef Type)[] functions;
    readonly string entrySymbol;

    ModuleLowering(IrModule ir, LlvmModule module, string moduleName, Func<System.Reflection.MethodBase, long>? resolveToken)
    {
        entrySymbol = EntrySymbol(ir, moduleName);
        directSymbol = DirectSymbol(ir, moduleName);
        this.resolveToken = resolveToken;
        Ir = ir;
        Module = module;
        Types = new LlvmTypes(module.Context);
        functions = new (LLVMValueRef, LLVMTypeRef)[ir.Functions.Count];
        byte[] kind = Encoding.UTF8.GetBytes("invariant.load");
        fixed (byte* k = kind)
            InvariantLoadKind = LlvmApi.LLVMGetMDKindIDInContext(module.Context.Handle, k, (uint)kind.Length);
        EmptyMetadata = LlvmApi.LLVMMetadataAsValue(module.Context.Handle, LlvmApi.LLVMMDNodeInContext2(module.Context.Handle, null, 0));
    }

    internal IrModule Ir { get; }

    /// <summary>The runtime's process-wide state block (<c>@nrt_state</c>), declared on first use.</summary>
    internal LLVMValueRef NrtState
    {
        get
        {
            if (nrtState.IsNull)
                nrtState = LlvmApi.LLVMAddGlobal(Module.Handle, LlvmApi.LLVMArrayType2(Types.I64, (ulong)Runtime.NrtState.Fields), Runtime.NrtRuntimeIr.State);
            return nrtState;
        }
    }

    LLVMValueRef nrtState;

    /// <summary>The metadata kind <c>invariant.load</c>.</summary>
    internal uint InvariantLoadKind { get; }

    /// <summary>An empty metadata node, <c>!{}</c>, as a value.</summary>
    internal LLVMValueRef EmptyMetadata { get; }
    internal LlvmModule Module { get; }
    internal LlvmTypes Types { get; }

    /// <summary>
    /// The name of the entry's host trampoline: prefixed with the module's name, so the same
    /// method compiled twice (other options) can live in one JIT.
    /// </summary>
    public static string EntrySymbol(IrModule ir, string moduleName) => $"{moduleName}.{ir.Entry.Name}{NativeAbi.EntrySuffix}";

    /// <summary>
    /// Lowers <paramref name="ir"/> into a new module of <paramref name="context"/>.
    /// <paramref name="resolveToken"/> names each declared callee (<see cref="IrFunction.IsDeclaration"/>)
    /// to the target's <c>nrt_resolve</c>; a module with declarations needs it.
    /// </summary>
    public static LlvmModule Lower(IrModule ir, LlvmContext context, string moduleName, Func<System.Reflection.MethodBase, long>? resolveToken = null)
    {
        ArgumentNullException.ThrowIfNull(ir);
        ArgumentNullException.ThrowIfNull(context);
        LlvmModule module = context.CreateModule(moduleName);
        try
        {
            var lowering = new ModuleLowering(ir, module, moduleName, resolveToken);
            lowering.Run();
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    void Run()
    {
        for (int n = 0; n < Ir.Functions.Count; n++)
        {
            IrFunction f = Ir.Functions[n];
            LLVMTypeRef[] parameters = [Types.Ptr, Types.Ptr, .. f.ParameterTypes.Select(Types.Value)];
            LLVMTypeRef type = Module.Context.Function(Types.I32, parameters);
            if (f.IsDeclaration)
            {
                functions[n] = (CalleeSlot(f, type), type);
                continue;
            }
            LLVMValueRef fn = LlvmApi.LLVMAddFunction(Module.Handle, f.Name, type);
            LlvmApi.LLVMSetLinkage(fn, LLVMLinkage.Internal);
            functions[n] = (fn, type);
        }
        using var builder = new LlvmBuilder(Module.Context);
        for (int n = 0; n < Ir.Functions.Count; n++)
        {
            if (!Ir.Functions[n].IsDeclaration)
                new FunctionLowering(this, Ir.Functions[n], functions[n].Function, builder.Handle).Lower();
        }
        EmitEntryTrampoline(builder.Handle);
        EmitDirectEntry(builder.Handle);
    }

    /// <summary>A function of the module, or for a declaration the slot holding its address.</summary>
    internal (LLVMValueRef Function, LLVMTypeRef Type) FunctionOf(int index) => functions[index];

    void EmitEntryTrampoline(LLVMBuilderRef b)
    {
        IrFunction entry = Ir.Entry;
        LLVMTypeRef type = Module.Context.Function(Types.I32, Types.Ptr, Types.Ptr, Types.Ptr);
        LLVMValueRef trampoline = LlvmApi.LLVMAddFunction(Module.Handle, entrySymbol, type);
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, trampoline, "entry"));
        LLVMValueRef args = LlvmApi.LLVMGetParam(trampoline, 0), result = LlvmApi.LLVMGetParam(trampoline, 1), record = LlvmApi.LLVMGetParam(trampoline, 2);

        (LLVMValueRef callee, LLVMTypeRef calleeType) = functions[0];
        // A constructor's trampoline makes the instance itself: .NET passes only the arguments
        // and gets the new instance (one reference) back.
        bool constructor = entry.Method is System.Reflection.ConstructorInfo;
        int first = constructor ? 1 : 0;
        var arguments = new LLVMValueRef[entry.ParameterTypes.Count + 2];
        LLVMValueRef returnSlot = entry.ReturnType == IrType.Void ? LlvmApi.LLVMConstNull(Types.Ptr) : LlvmApi.LLVMBuildAlloca(b, Types.Value(entry.ReturnType), "result");
        arguments[0] = record;
        arguments[1] = returnSlot;
        for (int p = first; p < entry.ParameterTypes.Count; p++)
        {
            IrType parameter = entry.ParameterTypes[p];
            LLVMValueRef index = LlvmApi.LLVMConstInt(Types.I64, (ulong)((p - first) * NativeAbi.ArgumentSlotSize), 0);
            LLVMValueRef slot = LlvmApi.LLVMBuildInBoundsGEP2(b, Types.I8, args, &index, 1, "");
            LLVMValueRef loaded = LlvmApi.LLVMBuildLoad2(b, Types.Memory(parameter), slot, "");
            arguments[p + 2] = Widen(b, loaded, parameter);
        }
        LLVMValueRef instance = default;
        if (constructor)
        {
            JitClassType layout = JitClassLayouts.For(entry.Method.DeclaringType!);
            LLVMValueRef size = LlvmApi.LLVMConstInt(Types.I64, (ulong)layout.Size, 0);
            instance = CallRuntime(b, Runtime.NrtRuntimeIr.MemInfoAllocZeroed, Types.Ptr, size, Destructor(layout));
            LLVMBasicBlockRef failed = LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, trampoline, "alloc.failed");
            LLVMBasicBlockRef made = LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, trampoline, "made");
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, instance, LlvmApi.LLVMConstNull(Types.Ptr), ""), failed, made);
            LlvmApi.LLVMPositionBuilderAtEnd(b, failed);
            StoreRecord(b, record, NativeAbi.ExceptionType, LlvmApi.LLVMConstInt(Types.I32, (ulong)RaiseInfo.IndexOf(typeof(OutOfMemoryException)), 0));
            StoreRecord(b, record, NativeAbi.ExceptionFormat, LlvmApi.LLVMConstInt(Types.I32, (ulong)NativeAbi.ExceptionFormatKind.OutOfMemory, 0));
            StoreRecord(b, record, NativeAbi.ExceptionValueA, size);
            LlvmApi.LLVMBuildRet(b, LlvmApi.LLVMConstInt(Types.I32, NativeAbi.StatusRaised, 0));
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
            LLVMBasicBlockRef raised = LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, trampoline, "ctor.raised");
            LLVMBasicBlockRef done = LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, trampoline, "ctor.done");
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, status, LlvmApi.LLVMConstInt(Types.I32, 0, 0), ""), raised, done);
            LlvmApi.LLVMPositionBuilderAtEnd(b, raised);
            CallRuntime(b, Runtime.NrtRuntimeIr.Decref, Types.Void, instance);
            LlvmApi.LLVMBuildRet(b, status);
            LlvmApi.LLVMPositionBuilderAtEnd(b, done);
            LlvmApi.LLVMBuildStore(b, instance, result);
        }
        else if (entry.ReturnType != IrType.Void)
        {
            // Written even on failure; the host reads it only on success.
            LLVMValueRef value = LlvmApi.LLVMBuildLoad2(b, Types.Value(entry.ReturnType), returnSlot, "");
            LLVMValueRef memory = Types.Memory(entry.ReturnType) == Types.Value(entry.ReturnType)
                ? value : LlvmApi.LLVMBuildTrunc(b, value, Types.Memory(entry.ReturnType), "");
            LlvmApi.LLVMBuildStore(b, memory, result);
        }
        LlvmApi.LLVMBuildRet(b, status);
    }

    void StoreRecord(LLVMBuilderRef b, LLVMValueRef record, int offset, LLVMValueRef value)
    {
        LLVMValueRef index = LlvmApi.LLVMConstInt(Types.I64, (ulong)offset, 0);
        LlvmApi.LLVMBuildStore(b, value, LlvmApi.LLVMBuildInBoundsGEP2(b, Types.I8, record, &index, 1, ""));
    }

    LLVMValueRef Widen(LLVMBuilderRef b, LLVMValueRef value, IrType type)
    {
        if (type.IsFloat || type.IsReference || Types.Memory(type) == Types.Value(type))
            return value;
        return type.IsUnsigned ? LlvmApi.LLVMBuildZExt(b, value, Types.I32, "") : LlvmApi.LLVMBuildSExt(b, value, Types.I32, "");
    }

    /// <summary>An overloaded LLVM intrinsic, declared once per module.</summary>
    internal (LLVMValueRef Function, LLVMTypeRef Type) Intrinsic(string name, params LLVMTypeRef[] overloads)
    {
        string key = name + string.Join(",", overloads.Select(o => o.Handle));
        if (intrinsics.TryGetValue(key, out var found))
            return found;
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        uint id;
        fixed (byte* p = bytes)
            id = LlvmApi.LLVMLookupIntrinsicID(p, (nuint)bytes.Length);
        if (id == 0)
            throw new InvalidOperationException($"LLVM 19 has no intrinsic {name}");
        LLVMValueRef fn;
        fixed (LLVMTypeRef* o = overloads)
            fn = LlvmApi.LLVMGetIntrinsicDeclaration(Module.Handle, id, o, (nuint)overloads.Length);
        var result = (fn, LlvmApi.LLVMGlobalGetValueType(fn));
        intrinsics[key] = result;
        return result;
    }

    /// <summary>A C library math function (<c>sin</c>, <c>powf</c>, …) taking and returning <paramref name="type"/>.</summary>
    internal LLVMValueRef LibmFunction(string name, LLVMTypeRef type, int arity, out LLVMTypeRef functionType)
    {
        functionType = arity == 1 ? Module.Context.Function(type, type) : Module.Context.Function(type, type, type);
        LLVMValueRef existing = LlvmApi.LLVMGetNamedFunction(Module.Handle, name);
        return existing.IsNull ? LlvmApi.LLVMAddFunction(Module.Handle, name, functionType) : existing;
    }

    /// <summary>
    /// Calls an NRT runtime function (<see cref="Runtime.NrtRuntimeIr"/>), declared on first use;
    /// the JIT resolves it to the runtime module installed beside this one.
    /// </summary>
    internal LLVMValueRef CallRuntime(LLVMBuilderRef b, string name, LLVMTypeRef returnType, params LLVMValueRef[] args)
    {
        LLVMTypeRef[] parameters = args.Select(LlvmApi.LLVMTypeOf).ToArray();
        LLVMTypeRef type = Module.Context.Function(returnType, parameters);
        LLVMValueRef fn = LlvmApi.LLVMGetNamedFunction(Module.Handle, name);
        if (fn.IsNull)
            fn = LlvmApi.LLVMAddFunction(Module.Handle, name, type);
        fixed (LLVMValueRef* a = args)
            return LlvmApi.LLVMBuildCall2(b, type, fn, a, (uint)args.Length, "");
    }

    /// <summary>
    /// The destructor of arrays of jit class instances, <c>nrt_release_elements</c> of the runtime
    /// (one for every class and rank: elements are MemInfo pointers), declared on first use.
    /// </summary>
    internal LLVMValueRef ElementsDestructor()
    {
        LLVMValueRef existing = LlvmApi.LLVMGetNamedFunction(Module.Handle, Runtime.NrtRuntimeIr.ReleaseElements);
        return existing.IsNull
            ? LlvmApi.LLVMAddFunction(Module.Handle, Runtime.NrtRuntimeIr.ReleaseElements, Module.Context.Function(Types.Void, Types.Ptr, Types.I64, Types.Ptr, Types.Ptr))
            : existing;
    }

    /// <summary>
    /// The destructor of instances of <paramref name="layout"/>, made once per module:
    /// <c>void (ptr data, i64 size, ptr info, ptr worklist)</c>, releasing each reference field
    /// into the runtime's worklist (so dropping a long chain never recurses).
    /// </summary>
    internal LLVMValueRef Destructor(JitClassType layout)
    {
        string name = $"dtor.{layout.ClrType.FullName}";
        LLVMValueRef existing = LlvmApi.LLVMGetNamedFunction(Module.Handle, name);
        if (!existing.IsNull)
            return existing;
        LLVMTypeRef type = Module.Context.Function(Types.Void, Types.Ptr, Types.I64, Types.Ptr, Types.Ptr);
        LLVMValueRef fn = LlvmApi.LLVMAddFunction(Module.Handle, name, type);
        LlvmApi.LLVMSetLinkage(fn, LLVMLinkage.Internal);
        using var builder = new LlvmBuilder(Module.Context);
        LLVMBuilderRef b = builder.Handle;
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, fn, "entry"));
        LLVMValueRef data = LlvmApi.LLVMGetParam(fn, 0), worklist = LlvmApi.LLVMGetParam(fn, 3);
        LLVMValueRef* values = stackalloc LLVMValueRef[2];
        LLVMBasicBlockRef* blocks = stackalloc LLVMBasicBlockRef[2];
        foreach (JitField field in layout.Fields.Where(f => f.Type.IsReference))
        {
            LLVMValueRef offset = LlvmApi.LLVMConstInt(Types.I64, (ulong)field.Offset, 0);
            LLVMValueRef value = LlvmApi.LLVMBuildLoad2(b, Types.Ptr, LlvmApi.LLVMBuildInBoundsGEP2(b, Types.I8, data, &offset, 1, ""), "");
            LLVMValueRef owner = value;
            if (field.Type.Element is not null)
            {
                // An array field holds a descriptor: release its owner (null for .NET arrays).
                LLVMBasicBlockRef load = LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, fn, "array");
                LLVMBasicBlockRef next = LlvmApi.LLVMAppendBasicBlockInContext(Module.Context.Handle, fn, "next");
                LLVMBasicBlockRef from = LlvmApi.LLVMGetInsertBlock(b);
                LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, value, LlvmApi.LLVMConstNull(Types.Ptr), ""), next, load);
                LlvmApi.LLVMPositionBuilderAtEnd(b, load);
                LLVMValueRef loaded = LlvmApi.LLVMBuildLoad2(b, Types.Ptr, value, "");
                LlvmApi.LLVMBuildBr(b, next);
                LlvmApi.LLVMPositionBuilderAtEnd(b, next);
                owner = LlvmApi.LLVMBuildPhi(b, Types.Ptr, "");
                values[0] = LlvmApi.LLVMConstNull(Types.Ptr);
                values[1] = loaded;
                blocks[0] = from;
                blocks[1] = load;
                LlvmApi.LLVMAddIncoming(owner, values, blocks, 2);
            }
            CallRuntime(b, Runtime.NrtRuntimeIr.ReleaseDeferred, Types.Void, owner, worklist);
        }
        LlvmApi.LLVMBuildRetVoid(b);
        return fn;
    }

    /// <summary>A private NUL-terminated UTF-8 constant (exception messages).</summary>
    internal LLVMValueRef StringConstant(string text)
    {
        if (strings.TryGetValue(text, out LLVMValueRef existing))
            return existing;
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        LLVMValueRef initializer;
        fixed (byte* p = bytes)
            initializer = LlvmApi.LLVMConstStringInContext2(Module.Context.Handle, p, (nuint)bytes.Length, 0);
        LLVMValueRef global = LlvmApi.LLVMAddGlobal(Module.Handle, LlvmApi.LLVMTypeOf(initializer), ".str" + strings.Count);
        LlvmApi.LLVMSetInitializer(global, initializer);
        LlvmApi.LLVMSetGlobalConstant(global, 1);
        LlvmApi.LLVMSetLinkage(global, LLVMLinkage.Private);
        LlvmApi.LLVMSetUnnamedAddress(global, 2);
        strings[text] = global;
        return global;
    }
}
