using System.Text;
using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Lowers an <see cref="IrModule"/> into an LLVM module, asking a <see cref="TargetLowering"/> for
/// every target-specific choice. Every IR function becomes an internal
/// <c>i32 @name(ptr exceptionRecord, ptr result, params…)</c> returning a status (the ABI of
/// DESIGN.md); the target then adds what callers reach (<see cref="TargetLowering.EmitEntry"/>).
/// </summary>
public sealed unsafe class ModuleLowering
{
    readonly Dictionary<string, (LLVMValueRef, LLVMTypeRef)> intrinsics = [];
    readonly Dictionary<string, LLVMValueRef> strings = [];
    readonly (LLVMValueRef Function, LLVMTypeRef Type)[] functions;

    ModuleLowering(IrModule ir, LlvmModule module, string moduleName, TargetLowering target)
    {
        Name = moduleName;
        Target = target;
        Ir = ir;
        Module = module;
        Types = new LlvmTypes(module.Context);
        functions = new (LLVMValueRef, LLVMTypeRef)[ir.Functions.Count];
        byte[] kind = Encoding.UTF8.GetBytes("invariant.load");
        fixed (byte* k = kind)
            InvariantLoadKind = LlvmApi.LLVMGetMDKindIDInContext(module.Context.Handle, k, (uint)kind.Length);
        EmptyMetadata = LlvmApi.LLVMMetadataAsValue(module.Context.Handle, LlvmApi.LLVMMDNodeInContext2(module.Context.Handle, null, 0));
        byte[] range = Encoding.UTF8.GetBytes("range");
        fixed (byte* r = range)
            RangeKind = LlvmApi.LLVMGetMDKindIDInContext(module.Context.Handle, r, (uint)range.Length);
        LLVMTypeRef i64 = LlvmApi.LLVMInt64TypeInContext(module.Context.Handle);
        LLVMMetadataRef* bounds = stackalloc LLVMMetadataRef[2];
        bounds[0] = LlvmApi.LLVMValueAsMetadata(LlvmApi.LLVMConstInt(i64, 0, 0));
        bounds[1] = LlvmApi.LLVMValueAsMetadata(LlvmApi.LLVMConstInt(i64, NativeAbi.MaxArrayLength + 1, 0));
        LengthRange = LlvmApi.LLVMMetadataAsValue(module.Context.Handle, LlvmApi.LLVMMDNodeInContext2(module.Context.Handle, bounds, 2));
    }

    public IrModule Ir { get; }

    /// <summary>The module's name: symbols a target exports are prefixed with it, so one method compiled twice can live in one JIT.</summary>
    public string Name { get; }

    public TargetLowering Target { get; }

    /// <summary>The metadata kind <c>invariant.load</c>.</summary>
    internal uint InvariantLoadKind { get; }

    /// <summary>An empty metadata node, <c>!{}</c>, as a value.</summary>
    internal LLVMValueRef EmptyMetadata { get; }

    /// <summary>The metadata kind <c>range</c>.</summary>
    internal uint RangeKind { get; }

    /// <summary>
    /// <c>!{i64 0, i64 0x7FFFFFC8}</c>: the lengths a one-dimensional array can have (.NET's <c>Array.MaxLength</c> at most), so
    /// LLVM knows a length truncated to <c>int</c> is the length itself and folds a bounds check that C#'s own
    /// <c>(uint)i &lt; (uint)array.Length</c> test already made (<c>List&lt;T&gt;.Add</c>'s shape).
    /// </summary>
    internal LLVMValueRef LengthRange { get; }
    public LlvmModule Module { get; }
    public LlvmTypes Types { get; }

    /// <summary>Lowers <paramref name="ir"/> for <paramref name="target"/> into a new module of <paramref name="context"/>.</summary>
    /// <exception cref="InvalidOperationException">The IR uses something the target cannot lower.</exception>
    public static LlvmModule Lower(IrModule ir, LlvmContext context, string moduleName, TargetLowering target)
    {
        ArgumentNullException.ThrowIfNull(ir);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        if (ir.Types != target.Layouts)
            throw new ArgumentException($"The IR was typed by {ir.Types}, but the target lowers with {target.Layouts}: compile it with the target's context.", nameof(ir));
        LlvmModule module = context.CreateModule(moduleName);
        try
        {
            var lowering = new ModuleLowering(ir, module, moduleName, target);
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
            // Loops rather than LINQ over LLVM's handles: see FunctionLowering's slots.
            var parameters = new LLVMTypeRef[2 + f.ParameterTypes.Count];
            parameters[0] = parameters[1] = Types.Ptr;
            for (int p = 0; p < f.ParameterTypes.Count; p++)
                parameters[2 + p] = Types.Parameter(f.ParameterTypes[p]);
            LLVMTypeRef type = Module.Context.Function(Types.I32, parameters);
            if (f.IsDeclaration)
            {
                functions[n] = (Target.CalleeSlot(this, f, type), type);
                continue;
            }
            LLVMValueRef fn = LlvmApi.LLVMAddFunction(Module.Handle, f.Name, type);
            LlvmApi.LLVMSetLinkage(fn, LLVMLinkage.Internal);
            InliningAsWritten(fn, f);
            functions[n] = (fn, type);
        }
        using var builder = new LlvmBuilder(Module.Context);
        for (int n = 0; n < Ir.Functions.Count; n++)
        {
            IrFunction f = Ir.Functions[n];
            if (f.ParallelLoop is not null && Target.LowersParallelLoops)
                Target.EmitParallelLoop(this, f, functions[n].Function, builder.Handle);
            else if (!f.IsDeclaration)
                new FunctionLowering(this, f, functions[n].Function, builder.Handle).Lower();
        }
        Target.EmitEntry(this, builder.Handle);
    }

    /// <summary>
    /// <c>[MethodImpl(NoInlining)]</c> and <c>[MethodImpl(AggressiveInlining)]</c> as .NET's JIT reads them: LLVM's
    /// <c>noinline</c> (a cold path kept out of its callers, so they stay small enough to inline: a collection's growth)
    /// and <c>alwaysinline</c>.
    /// </summary>
    unsafe void InliningAsWritten(LLVMValueRef fn, IrFunction f)
    {
        if (f.Method is null)
            return;
        System.Reflection.MethodImplAttributes flags = f.Method.MethodImplementationFlags;
        ReadOnlySpan<byte> name = (flags & System.Reflection.MethodImplAttributes.NoInlining) != 0 ? "noinline"u8
            : (flags & System.Reflection.MethodImplAttributes.AggressiveInlining) != 0 ? "alwaysinline"u8 : default;
        if (name.IsEmpty)
            return;
        uint kind;
        fixed (byte* n = name)
            kind = LlvmApi.LLVMGetEnumAttributeKindForName(n, (nuint)name.Length);
        LlvmApi.LLVMAddAttributeAtIndex(fn, -1, LlvmApi.LLVMCreateEnumAttribute(Module.Context.Handle, kind, 0));
    }

    /// <summary>A function of the module, or for a declaration the slot holding its address.</summary>
    public (LLVMValueRef Function, LLVMTypeRef Type) FunctionOf(int index) => functions[index];

    /// <summary>An overloaded LLVM intrinsic, declared once per module.</summary>
    public (LLVMValueRef Function, LLVMTypeRef Type) Intrinsic(string name, params LLVMTypeRef[] overloads)
    {
        var named = new StringBuilder(name);
        foreach (LLVMTypeRef overload in overloads)
            named.Append(',').Append((long)overload.Handle);
        string key = named.ToString();
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

    /// <summary>An external function of this module, declared on first use.</summary>
    public LLVMValueRef Declare(string name, LLVMTypeRef functionType)
    {
        LLVMValueRef existing = LlvmApi.LLVMGetNamedFunction(Module.Handle, name);
        return existing.IsNull ? LlvmApi.LLVMAddFunction(Module.Handle, name, functionType) : existing;
    }

    /// <summary>Calls the external function <paramref name="name"/> (declared on first use with the arguments' types).</summary>
    public LLVMValueRef Call(LLVMBuilderRef b, string name, LLVMTypeRef returnType, params LLVMValueRef[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var types = new LLVMTypeRef[args.Length];
        for (int n = 0; n < args.Length; n++)
            types[n] = LlvmApi.LLVMTypeOf(args[n]);
        LLVMTypeRef type = Module.Context.Function(returnType, types);
        LLVMValueRef fn = Declare(name, type);
        fixed (LLVMValueRef* a = args)
            return LlvmApi.LLVMBuildCall2(b, type, fn, a, (uint)args.Length, "");
    }

    /// <summary>Calls <paramref name="callee"/> with all of <paramref name="from"/>'s parameters; returns the status.</summary>
    public static LLVMValueRef Forward(LLVMBuilderRef b, LLVMValueRef from, LLVMTypeRef type, LLVMValueRef callee)
    {
        uint count = LlvmApi.LLVMCountParams(from);
        var arguments = new LLVMValueRef[count];
        for (uint p = 0; p < count; p++)
            arguments[p] = LlvmApi.LLVMGetParam(from, p);
        fixed (LLVMValueRef* a = arguments)
            return LlvmApi.LLVMBuildCall2(b, type, callee, a, count, "");
    }

    /// <summary>A private NUL-terminated UTF-8 constant (exception messages).</summary>
    public LLVMValueRef StringConstant(string text)
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
