using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;
using Targets.Llvm.Lowering;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>
/// Emits the .NET side of a call into compiled code as a dynamic method: arguments go into
/// 8-byte slots on the stack, arrays and strings are pinned for the call (pinned locals, so nothing is copied)
/// and described by stack-allocated descriptors (a span's memory too, behind the view compiled code reads), the entry trampoline is called through its
/// address, a raised status becomes the .NET exception, and the result is read back. Two shapes:
/// the typed delegate (no allocation per call) and the boxed <c>object?[] → object?</c> slow path.
/// </summary>
public static class HostStubGenerator
{
    static readonly MethodInfo CallEntry = typeof(HostInterop).GetMethod(nameof(HostInterop.Call))!;
    static readonly MethodInfo CallBriefEntry = typeof(HostInterop).GetMethod(nameof(HostInterop.CallBrief))!;
    static readonly MethodInfo MemInfoOf = typeof(HostInterop).GetMethod(nameof(HostInterop.MemInfoOf))!;
    static readonly MethodInfo WrapInstance = typeof(HostInterop).GetMethod(nameof(HostInterop.WrapInstance))!;
    static readonly MethodInfo TypeFromHandle = typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!;
    static readonly MethodInfo TakeVector = typeof(HostInterop).GetMethod(nameof(HostInterop.TakeVector))!;
    static readonly MethodInfo TakeArray = typeof(HostInterop).GetMethod(nameof(HostInterop.TakeArray))!;
    static readonly MethodInfo WrapVector = typeof(HostInterop).GetMethod(nameof(HostInterop.WrapVector))!;
    static readonly MethodInfo TakeInstances = typeof(HostInterop).GetMethod(nameof(HostInterop.TakeInstances))!;
    static readonly MethodInfo TakeString = typeof(HostInterop).GetMethod(nameof(HostInterop.TakeString))!;
    static readonly MethodInfo StringData = typeof(string).GetMethod(nameof(string.GetPinnableReference))!;
    static readonly MethodInfo StringLength = typeof(string).GetProperty(nameof(string.Length))!.GetGetMethod()!;
    // Looked up by signature, not by filtering GetMethods() with LINQ: that made every method of both
    // classes and loaded System.Linq in each fresh process's first AsDelegate, a cache hit's included.
    static readonly MethodInfo VectorData = typeof(MemoryMarshal).GetMethod(nameof(MemoryMarshal.GetArrayDataReference), 1,
        [Type.MakeGenericMethodParameter(0).MakeArrayType()])!;
    static readonly MethodInfo ArrayData = typeof(MemoryMarshal).GetMethod(nameof(MemoryMarshal.GetArrayDataReference), [typeof(Array)])!;
    static readonly MethodInfo GetLength = typeof(Array).GetMethod(nameof(Array.GetLength))!;
    static readonly MethodInfo ReferenceBits = typeof(System.Runtime.CompilerServices.Unsafe).GetMethod(nameof(System.Runtime.CompilerServices.Unsafe.As), 2,
        [Type.MakeGenericMethodParameter(0).MakeByRefType()])!;
    static readonly MethodInfo LongLength = typeof(Array).GetProperty(nameof(Array.LongLength))!.GetGetMethod()!;

    /// <summary>
    /// The stubs made so far, by shape: a stub's IL depends on the delegate type and the signature's
    /// types alone (it reads the entry and the layouts from the <see cref="CompiledCode"/> it is bound
    /// to), so every function of one shape — in any module, for any target — shares one stub, and
    /// .NET compiles it once (a new stub's first call costs ~0.5–1 ms of JIT time).
    /// </summary>
    static readonly ConcurrentDictionary<StubShape, DynamicMethod> Stubs = new();

    /// <summary>
    /// A stub's key: IR types compared by shape (<see cref="IrTypeShape"/>), not by reference — each
    /// target's type context makes its own, and every target shares the stubs.
    /// </summary>
    sealed record StubShape(Type Delegate, IrType Return, Type HostReturn, IrType[] Parameters, bool Brief)
    {
        public bool Equals(StubShape? other) =>
            other is not null && Delegate == other.Delegate && HostReturn == other.HostReturn && Brief == other.Brief && IrTypeShape.Instance.Equals(Return, other.Return)
            && Parameters.AsSpan().SequenceEqual(other.Parameters, IrTypeShape.Instance);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Delegate);
            hash.Add(HostReturn);
            hash.Add(Brief);
            hash.Add(Return, IrTypeShape.Instance);
            foreach (IrType parameter in Parameters)
                hash.Add(parameter, IrTypeShape.Instance);
            return hash.ToHashCode();
        }
    }

    // Copied by a loop, as below: spreading a list compiles to LINQ's ToArray, and a cache hit's path loads no System.Linq.
    static DynamicMethod StubOf(HostSignature function, Type delegateType, bool brief, Func<DynamicMethod> make)
    {
        var parameters = new IrType[function.Parameters.Count];
        for (int n = 0; n < parameters.Length; n++)
            parameters[n] = function.Parameters[n];
        return Stubs.GetOrAdd(new StubShape(delegateType, function.Return, function.HostReturn, parameters, brief), _ => make());
    }

    /// <summary>A delegate of type <paramref name="delegateType"/> calling <paramref name="code"/> (the stub is bound to it).</summary>
    public static Delegate Typed(Type delegateType, HostSignature function, CompiledCode code, CpuRuntime runtime) =>
        StubOf(function, delegateType, code.Brief, () =>
        {
            MethodInfo invoke = delegateType.GetMethod("Invoke")!;
            Type[] parameters = [typeof(CompiledCode), .. HostSignature.ParameterTypes(invoke)]; // an array's spread is a copy, not LINQ
            var method = new DynamicMethod("call_compiled", invoke.ReturnType, parameters, typeof(HostStubGenerator).Module, skipVisibility: true)
            {
                InitLocals = false, // every byte the stub reads it wrote first; zeroing would cost on every call
            };
            ILGenerator il = method.GetILGenerator();
            bool view = invoke.ReturnType.IsGenericType && invoke.ReturnType.GetGenericTypeDefinition() == typeof(NrtArray<>);
            EmitCall(il, function, runtime, argument: (g, n) => g.Emit(OpCodes.Ldarg, n + 1), boxResult: false, view, code.Brief);
            return method;
        }).CreateDelegate(delegateType, code);

    static readonly MethodInfo LaunchCount = typeof(HostInterop).GetMethod(nameof(HostInterop.LaunchCount))!;

    /// <summary>
    /// A typed launcher of type <paramref name="delegateType"/> (extent first, then the kernel's arguments) calling
    /// the kernel launcher <paramref name="launcher"/>: the extent becomes its count, width and height through
    /// <see cref="HostInterop.LaunchCount"/>, an empty extent returns at once, and the arguments pass as a typed
    /// delegate's do. One stub per launcher (not shared: launchers are few, and each is made once).
    /// </summary>
    public static Delegate TypedLaunch(Type delegateType, HostSignature launcher, CompiledCode code, CpuRuntime runtime, bool longIndex)
    {
        ArgumentNullException.ThrowIfNull(delegateType);
        ArgumentNullException.ThrowIfNull(launcher);
        MethodInfo invoke = delegateType.GetMethod("Invoke")!;
        Type[] parameters = [typeof(CompiledCode), .. HostSignature.ParameterTypes(invoke)];
        var method = new DynamicMethod("launch_compiled", typeof(void), parameters, typeof(HostStubGenerator).Module, skipVisibility: true) { InitLocals = false };
        ILGenerator il = method.GetILGenerator();
        Type extent = parameters[1];
        LocalBuilder count = il.DeclareLocal(typeof(long)), width = il.DeclareLocal(typeof(int)), height = il.DeclareLocal(typeof(int));
        // LaunchCount(width, height, depth, longIndex, out width as int)
        void Item(string field)
        {
            il.Emit(OpCodes.Ldarga_S, (byte)1);
            il.Emit(OpCodes.Ldfld, extent.GetField(field)!);
        }
        if (extent == typeof(int) || extent == typeof(long))
        {
            il.Emit(OpCodes.Ldarg_1);
            if (extent == typeof(int))
                il.Emit(OpCodes.Conv_I8);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Ldc_I4_1);
        }
        else
        {
            Item("Item1");
            il.Emit(OpCodes.Conv_I8);
            Item("Item2");
            if (extent == typeof(ValueTuple<int, int, int>))
                Item("Item3");
            else
                il.Emit(OpCodes.Ldc_I4_1);
        }
        il.Emit(longIndex ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ldloca, width);
        il.Emit(OpCodes.Call, LaunchCount);
        il.Emit(OpCodes.Stloc, count);
        if (extent == typeof(int) || extent == typeof(long))
            il.Emit(OpCodes.Ldc_I4_1);
        else
            Item("Item2");
        il.Emit(OpCodes.Stloc, height);
        Label run = il.DefineLabel();
        il.Emit(OpCodes.Ldloc, count);
        il.Emit(OpCodes.Brtrue, run);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(run);
        LocalBuilder[] leading = [count, width, height];
        EmitCall(il, launcher, runtime, argument: (g, n) =>
        {
            if (n < leading.Length)
                g.Emit(OpCodes.Ldloc, leading[n]);
            else
                g.Emit(OpCodes.Ldarg, n - leading.Length + 2);
        }, boxResult: false, view: false, code.Brief);
        return method.CreateDelegate(delegateType, code);
    }

    /// <summary>
    /// Makes, binds and calls a trivial dynamic method of the stubs' kind, and runs this class's
    /// initialiser: a fresh process's first stub otherwise pays, on the caller's thread, for loading
    /// Reflection.Emit, the runtime's first dynamic method and the reflection lookups above (~3–5 ms
    /// here). A first cache hit does this on another core (<c>HostTarget.PrepareHit</c>).
    /// </summary>
    internal static void Warm()
    {
        var method = new DynamicMethod("warm", typeof(int), [typeof(CompiledCode)], typeof(HostStubGenerator).Module, skipVisibility: true);
        ILGenerator il = method.GetILGenerator();
        il.DeclareLocal(typeof(HostInterop.CallFrame));
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ret);
        _ = method.CreateDelegate<Func<CompiledCode?, int>>()(null);
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(HostStubGenerator).TypeHandle);
    }

    /// <summary>The slow path: arguments already checked against the signature by the caller.</summary>
    public static Func<object?[], object?> Boxed(HostSignature function, CompiledCode code, CpuRuntime runtime) =>
        StubOf(function, typeof(Func<object?[], object?>), code.Brief, () =>
        {
            var method = new DynamicMethod("invoke_compiled", typeof(object), [typeof(CompiledCode), typeof(object?[])], typeof(HostStubGenerator).Module, skipVisibility: true)
            {
                InitLocals = false,
            };
            ILGenerator il = method.GetILGenerator();
            EmitCall(il, function, runtime, argument: (g, n) =>
            {
                g.Emit(OpCodes.Ldarg_1);
                g.Emit(OpCodes.Ldc_I4, n);
                g.Emit(OpCodes.Ldelem_Ref);
                Type type = HostSignature.HostType(function.Parameters[n]);
                g.Emit(type.IsValueType ? OpCodes.Unbox_Any : OpCodes.Castclass, type);
            }, boxResult: true, view: false, code.Brief);
            return method;
        }).CreateDelegate<Func<object?[], object?>>(code);

    static void EmitCall(ILGenerator il, HostSignature function, CpuRuntime runtime, Action<ILGenerator, int> argument,
        bool boxResult, bool view, bool brief)
    {
        if (function.Uncallable is { } why)
            throw new ArgumentException(why + ".");
        int count = function.Parameters.Count;
        if (count > HostInterop.CallFrame.MaxArguments)
            throw new ArgumentException($"{function.Name} takes {count} parameters; methods called from .NET may take at most {HostInterop.CallFrame.MaxArguments}.");
        // Arguments land in locals first: arrays must sit in pinned locals for the whole call.
        var locals = new LocalBuilder[count];
        var descriptors = new LocalBuilder?[count];
        for (int n = 0; n < count; n++)
        {
            IrType type = function.Parameters[n];
            bool span = type.Aggregate is { IsSpan: true };
            locals[n] = il.DeclareLocal(span ? function.HostParameters[n] : HostSignature.HostType(type), pinned: type.IsReference && type.Kind != IrTypeKind.Instance);
            argument(il, n);
            il.Emit(OpCodes.Stloc, locals[n]);
        }

        // One stack block: argument slots, then the result, then the exception record.
        LocalBuilder slots = il.DeclareLocal(typeof(nint));
        LocalBuilder record = il.DeclareLocal(typeof(nint));
        LocalBuilder result = il.DeclareLocal(typeof(nint));
        int slotBytes = count * NativeAbi.ArgumentSlotSize;
        // A struct local rather than localloc: the JIT handles it better on every call.
        LocalBuilder frame = il.DeclareLocal(typeof(HostInterop.CallFrame));
        il.Emit(OpCodes.Ldloca, frame);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Stloc, slots);
        EmitOffset(il, slots, slotBytes);
        il.Emit(OpCodes.Stloc, result);
        EmitOffset(il, slots, slotBytes + 8);
        il.Emit(OpCodes.Stloc, record);
        // A struct result is written straight into a local of its .NET type.
        LocalBuilder? structResult = null;
        if (function.Return.Kind == IrTypeKind.Aggregate)
        {
            structResult = il.DeclareLocal(TypeMapper.ToClr(function.Return));
            il.Emit(OpCodes.Ldloca, structResult);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Stloc, result);
        }

        for (int n = 0; n < count; n++)
        {
            IrType type = function.Parameters[n];
            if (type.Aggregate is { IsSpan: true })
            {
                EmitSpanView(il, locals[n], type, slots, n);
                continue;
            }
            if (type.Kind == IrTypeKind.Aggregate)
            {
                // A struct is passed by the address of the stub's copy (stack memory: it does not move).
                EmitSlotAddress(il, slots, n);
                il.Emit(OpCodes.Ldloca, locals[n]);
                il.Emit(OpCodes.Conv_U);
                il.Emit(OpCodes.Stind_I);
                continue;
            }
            if (type.Kind == IrTypeKind.Array)
            {
                descriptors[n] = EmitDescriptor(il, locals[n], type, slots, n);
                continue;
            }
            if (type.Kind == IrTypeKind.Instance)
            {
                // A box lends its instance for the call (it holds a reference throughout).
                EmitSlotAddress(il, slots, n);
                il.Emit(OpCodes.Ldloc, locals[n]);
                il.Emit(OpCodes.Ldtoken, type.JitClass!);
                il.Emit(OpCodes.Call, TypeFromHandle);
                il.Emit(OpCodes.Ldc_I4, n);
                il.Emit(OpCodes.Ldarg_0); // the CompiledCode: its layouts
                il.Emit(OpCodes.Call, MemInfoOf);
                il.Emit(OpCodes.Stind_I);
                continue;
            }
            EmitSlotAddress(il, slots, n);
            il.Emit(OpCodes.Ldloc, locals[n]);
            if (type.Kind == IrTypeKind.ByRef)
            {
                il.Emit(OpCodes.Conv_U);
                il.Emit(OpCodes.Stind_I);
            }
            else
            {
                il.Emit(StoreOpcode(type));
            }
        }

        il.Emit(OpCodes.Ldarg_0); // the CompiledCode the stub is bound to
        il.Emit(OpCodes.Ldloc, slots);
        il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ldloc, record);
        // Two entries, not one with a branch: a method holding a call with the GC transition sets up its
        // frame for it on every call, whichever branch runs.
        il.Emit(OpCodes.Call, brief ? CallBriefEntry : CallEntry); // throws what the compiled code raised

        IrType returnType = function.Return;
        if (structResult is not null)
        {
            il.Emit(OpCodes.Ldloc, structResult);
            if (boxResult)
                il.Emit(OpCodes.Box, structResult.LocalType);
            il.Emit(OpCodes.Ret);
            return;
        }
        if (returnType == IrType.Void)
        {
            if (boxResult)
                il.Emit(OpCodes.Ldnull);
            il.Emit(OpCodes.Ret);
            return;
        }
        if (returnType.Kind == IrTypeKind.Instance)
        {
            // The compiled code returned a new reference: a new box owns it.
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Ldind_I);
            il.Emit(OpCodes.Ldtoken, returnType.JitClass!);
            il.Emit(OpCodes.Call, TypeFromHandle);
            il.Emit(OpCodes.Ldarg_0); // the CompiledCode: boxes take its layouts
            il.Emit(OpCodes.Call, WrapInstance);
            il.Emit(OpCodes.Ret);
            return;
        }
        if (returnType is { Kind: IrTypeKind.Array, Element.Kind: IrTypeKind.Instance })
        {
            // Boxes of the elements; the array's reference (the caller's) is dropped.
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Ldind_I);
            il.Emit(OpCodes.Ldc_I8, (long)runtime.Decref);
            il.Emit(OpCodes.Conv_I);
            il.Emit(OpCodes.Ldc_I4, returnType.Rank);
            il.Emit(OpCodes.Ldtoken, returnType.Element.JitClass!);
            il.Emit(OpCodes.Call, TypeFromHandle);
            il.Emit(OpCodes.Ldarg_0); // the CompiledCode: boxes take its layouts
            il.Emit(OpCodes.Call, TakeInstances);
            il.Emit(OpCodes.Castclass, HostSignature.HostType(returnType));
            il.Emit(OpCodes.Ret);
            return;
        }
        if (returnType.IsString)
        {
            // A string passed in and returned comes back as the same object; a literal as .NET's interned one.
            EmitReturnIfPassedIn(il, descriptors, result, n => il.Emit(OpCodes.Ldloc, locals[n]));
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Ldind_I);
            il.Emit(OpCodes.Call, TakeString);
            il.Emit(OpCodes.Ret);
            return;
        }
        if (returnType.Kind == IrTypeKind.Array && view)
        {
            // NrtArray<T>: a view of the native array, or of the .NET array passed in and returned.
            Type element = TypeMapper.ToClr(returnType.Element!);
            MethodInfo wrap = WrapVector.MakeGenericMethod(element);
            EmitReturnIfPassedIn(il, descriptors, result, n =>
            {
                il.Emit(OpCodes.Ldc_I4_0);
                il.Emit(OpCodes.Conv_I);
                il.Emit(OpCodes.Ldc_I8, (long)runtime.Decref);
                il.Emit(OpCodes.Conv_I);
                il.Emit(OpCodes.Ldloc, locals[n]);
                il.Emit(OpCodes.Call, wrap);
            });
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Ldind_I);
            il.Emit(OpCodes.Ldc_I8, (long)runtime.Decref);
            il.Emit(OpCodes.Conv_I);
            il.Emit(OpCodes.Ldnull);
            il.Emit(OpCodes.Call, wrap);
            il.Emit(OpCodes.Ret);
            return;
        }
        if (returnType.Kind == IrTypeKind.Array)
        {
            // A .NET array passed in and returned comes back as the same object.
            EmitReturnIfPassedIn(il, descriptors, result, n => il.Emit(OpCodes.Ldloc, locals[n]));
            Type element = TypeMapper.ToClr(returnType.Element!);
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Ldind_I);
            il.Emit(OpCodes.Ldc_I8, (long)runtime.Decref);
            il.Emit(OpCodes.Conv_I);
            if (returnType.Rank == 1)
            {
                il.Emit(OpCodes.Call, TakeVector.MakeGenericMethod(element));
            }
            else
            {
                il.Emit(OpCodes.Ldc_I4, returnType.Rank);
                il.Emit(OpCodes.Call, TakeArray.MakeGenericMethod(element));
                il.Emit(OpCodes.Castclass, TypeMapper.ToClr(returnType));
            }
            il.Emit(OpCodes.Ret);
            return;
        }
        il.Emit(OpCodes.Ldloc, result);
        il.Emit(LoadOpcode(returnType));
        if (boxResult)
            il.Emit(OpCodes.Box, function.HostReturn); // an enum's own type where the method returns one
        il.Emit(OpCodes.Ret);
    }

    /// <summary>
    /// For each array argument: if the returned descriptor is that argument's, push what
    /// <paramref name="value"/> emits for it and return.
    /// </summary>
    static void EmitReturnIfPassedIn(ILGenerator il, LocalBuilder?[] descriptors, LocalBuilder result, Action<int> value)
    {
        for (int n = 0; n < descriptors.Length; n++)
        {
            if (descriptors[n] is not { } descriptor)
                continue;
            Label next = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Ldind_I);
            il.Emit(OpCodes.Ldloc, descriptor);
            il.Emit(OpCodes.Bne_Un, next);
            value(n);
            il.Emit(OpCodes.Ret);
            il.MarkLabel(next);
        }
    }

    static void EmitStackAlloc(ILGenerator il, int bytes, LocalBuilder into)
    {
        il.Emit(OpCodes.Ldc_I4, bytes);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Localloc);
        il.Emit(OpCodes.Stloc, into);
    }

    static void EmitSlotAddress(ILGenerator il, LocalBuilder slots, int n) => EmitOffset(il, slots, n * NativeAbi.ArgumentSlotSize);

    static void EmitOffset(ILGenerator il, LocalBuilder pointer, int offset)
    {
        il.Emit(OpCodes.Ldloc, pointer);
        if (offset != 0)
        {
            il.Emit(OpCodes.Ldc_I4, offset);
            il.Emit(OpCodes.Add);
        }
    }

    /// <summary>Builds a descriptor for the (pinned) array or string in <paramref name="array"/>, or passes null for a null one.</summary>
    static LocalBuilder EmitDescriptor(ILGenerator il, LocalBuilder array, IrType type, LocalBuilder slots, int n)
    {
        LocalBuilder descriptor = il.DeclareLocal(typeof(nint));
        Label isNull = il.DefineLabel(), done = il.DefineLabel();
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Conv_I);
        il.Emit(OpCodes.Stloc, descriptor);
        il.Emit(OpCodes.Ldloc, array);
        il.Emit(OpCodes.Brfalse, isNull);

        EmitStackAlloc(il, NativeAbi.DescriptorSize(type.Rank), descriptor);
        EmitOffset(il, descriptor, NativeAbi.DescriptorOwner);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Conv_I);
        il.Emit(OpCodes.Stind_I);

        // A string's descriptor is a char[]'s over its characters (compiled code only reads them).
        EmitOffset(il, descriptor, NativeAbi.DescriptorData);
        il.Emit(OpCodes.Ldloc, array);
        il.Emit(OpCodes.Call, type.IsString ? StringData : type.Rank == 1 ? VectorData.MakeGenericMethod(TypeMapper.ToClr(type.Element!)) : ArrayData);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Stind_I);

        EmitOffset(il, descriptor, NativeAbi.DescriptorLength);
        il.Emit(OpCodes.Ldloc, array);
        il.Emit(OpCodes.Call, type.IsString ? StringLength : LongLength);
        if (type.IsString)
            il.Emit(OpCodes.Conv_I8);
        il.Emit(OpCodes.Stind_I8);

        // The array object's address, for adoption if compiled code keeps the array past the call
        // (it is pinned in this local for the whole call, so the address holds).
        EmitOffset(il, descriptor, DescriptorLayout.Host);
        il.Emit(OpCodes.Ldloca, array);
        il.Emit(OpCodes.Call, ReferenceBits.MakeGenericMethod(array.LocalType, typeof(nint)));
        il.Emit(OpCodes.Ldind_I);
        il.Emit(OpCodes.Stind_I);

        for (int d = 0; type.Rank > 1 && d < type.Rank; d++)
        {
            EmitOffset(il, descriptor, NativeAbi.DescriptorDimensions + 8 * d);
            il.Emit(OpCodes.Ldloc, array);
            il.Emit(OpCodes.Ldc_I4, d);
            il.Emit(OpCodes.Call, GetLength);
            il.Emit(OpCodes.Conv_I8);
            il.Emit(OpCodes.Stind_I8);
        }
        il.Emit(OpCodes.Br, done);
        il.MarkLabel(isNull);
        il.MarkLabel(done);
        EmitSlotAddress(il, slots, n);
        il.Emit(OpCodes.Ldloc, descriptor);
        il.Emit(OpCodes.Stind_I);
        return descriptor;
    }

    /// <summary>
    /// A <c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c> argument as the view compiled code reads (a
    /// <c>SpanView&lt;T&gt;</c>): its memory pinned for the call (a pinned reference to its first element, which pins
    /// the array it may lie in), a stack descriptor of it (owner and host null: nothing counts it, and compiled code
    /// writes through it into .NET's memory), and the view over the whole descriptor, passed by its address.
    /// </summary>
    static void EmitSpanView(ILGenerator il, LocalBuilder span, IrType type, LocalBuilder slots, int n)
    {
        Type spanType = span.LocalType;
        MethodInfo reference = typeof(MemoryMarshal).GetMethods().Single(m => m.Name == nameof(MemoryMarshal.GetReference)
            && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == spanType.GetGenericTypeDefinition()).MakeGenericMethod(spanType.GetGenericArguments());
        LocalBuilder pinned = il.DeclareLocal(spanType.GetGenericArguments()[0].MakeByRefType(), pinned: true);
        il.Emit(OpCodes.Ldloc, span);
        il.Emit(OpCodes.Call, reference);
        il.Emit(OpCodes.Stloc, pinned);
        LocalBuilder length = il.DeclareLocal(typeof(int));
        il.Emit(OpCodes.Ldloca, span);
        il.Emit(OpCodes.Call, spanType.GetProperty("Length")!.GetGetMethod()!);
        il.Emit(OpCodes.Stloc, length);

        LocalBuilder descriptor = il.DeclareLocal(typeof(nint));
        EmitStackAlloc(il, NativeAbi.DescriptorSize(1), descriptor);
        void Store(LocalBuilder at, int offset, Action value, OpCode store)
        {
            EmitOffset(il, at, offset);
            value();
            il.Emit(store);
        }
        void Null()
        {
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Conv_I);
        }
        Store(descriptor, NativeAbi.DescriptorOwner, Null, OpCodes.Stind_I);
        Store(descriptor, NativeAbi.DescriptorData, () => { il.Emit(OpCodes.Ldloc, pinned); il.Emit(OpCodes.Conv_U); }, OpCodes.Stind_I);
        Store(descriptor, NativeAbi.DescriptorLength, () => { il.Emit(OpCodes.Ldloc, length); il.Emit(OpCodes.Conv_I8); }, OpCodes.Stind_I8);
        Store(descriptor, DescriptorLayout.Host, Null, OpCodes.Stind_I);

        AggregateLayout layout = type.Aggregate!;
        LocalBuilder view = il.DeclareLocal(typeof(nint));
        EmitStackAlloc(il, layout.Size, view);
        Store(view, layout.Fields[0].Offset, () => il.Emit(OpCodes.Ldloc, descriptor), OpCodes.Stind_I); // Array
        Store(view, layout.Fields[1].Offset, () => il.Emit(OpCodes.Ldc_I4_0), OpCodes.Stind_I4); // Start
        Store(view, layout.Fields[2].Offset, () => il.Emit(OpCodes.Ldloc, length), OpCodes.Stind_I4); // Length
        EmitSlotAddress(il, slots, n);
        il.Emit(OpCodes.Ldloc, view);
        il.Emit(OpCodes.Stind_I);
    }

    static OpCode StoreOpcode(IrType type) => type.Kind switch
    {
        IrTypeKind.Bool or IrTypeKind.I8 or IrTypeKind.U8 => OpCodes.Stind_I1,
        IrTypeKind.Char or IrTypeKind.I16 or IrTypeKind.U16 => OpCodes.Stind_I2,
        IrTypeKind.I32 or IrTypeKind.U32 => OpCodes.Stind_I4,
        IrTypeKind.I64 or IrTypeKind.U64 => OpCodes.Stind_I8,
        IrTypeKind.NInt or IrTypeKind.NUInt => OpCodes.Stind_I,
        IrTypeKind.F32 => OpCodes.Stind_R4,
        IrTypeKind.F64 => OpCodes.Stind_R8,
        _ => throw new InvalidOperationException($"no store for {type}"),
    };

    static OpCode LoadOpcode(IrType type) => type.Kind switch
    {
        IrTypeKind.I8 => OpCodes.Ldind_I1,
        IrTypeKind.Bool or IrTypeKind.U8 => OpCodes.Ldind_U1,
        IrTypeKind.I16 => OpCodes.Ldind_I2,
        IrTypeKind.Char or IrTypeKind.U16 => OpCodes.Ldind_U2,
        IrTypeKind.I32 => OpCodes.Ldind_I4,
        IrTypeKind.U32 => OpCodes.Ldind_U4,
        IrTypeKind.I64 or IrTypeKind.U64 => OpCodes.Ldind_I8,
        IrTypeKind.NInt or IrTypeKind.NUInt => OpCodes.Ldind_I,
        IrTypeKind.F32 => OpCodes.Ldind_R4,
        IrTypeKind.F64 => OpCodes.Ldind_R8,
        _ => throw new InvalidOperationException($"no load for {type}"),
    };
}
