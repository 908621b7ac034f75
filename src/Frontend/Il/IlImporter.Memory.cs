using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// The members of <see cref="MemoryMarshal"/> and <see cref="Unsafe"/> that stay memory-safe when compiled: every address
/// they make lies inside the array it came from, or the call is refused with the reason.
/// <list type="bullet">
/// <item><c>MemoryMarshal.Cast&lt;TFrom, TTo&gt;</c> and <c>AsBytes</c> of a span of numbers or plain structs: a span over a view
/// of the same memory (<see cref="IntrinsicKind.ArrayView"/>), its length .NET's (the whole elements that fit; checked
/// arithmetic, as .NET's).</item>
/// <item><c>MemoryMarshal.GetReference</c> of a span and <c>GetArrayDataReference</c> of an array: the address of the first
/// element, checked as <c>a[0]</c> is (reading it in .NET is undefined where the check fails).</item>
/// <item><c>Unsafe.Add</c>/<c>Subtract</c> of an element's address made in the same expression (<c>ref a[i]</c>, a span's
/// indexer, the two above): the address of the element so many further, checked against the array like an index —
/// where .NET's code would read past the memory, compiled code raises IndexOutOfRangeException.</item>
/// <item><c>Unsafe.As&lt;TFrom, TTo&gt;(ref TFrom)</c> between numbers and plain structs, when <c>TTo</c> is no larger and no more
/// aligned than <c>TFrom</c>: the same address read as the other type (<see cref="IntrinsicKind.ReinterpretRef"/>).</item>
/// <item><c>Unsafe.SizeOf&lt;T&gt;</c>: .NET's size, a constant.</item>
/// </list>
/// </summary>
internal sealed partial class IlImporter
{
    const string MemoryOffered = "compiled code offers MemoryMarshal.Cast, AsBytes, GetReference and GetArrayDataReference, and Unsafe.SizeOf, "
        + "Unsafe.As<TFrom, TTo>(ref TFrom) and Unsafe.Add/Subtract of an element's address: each stays inside the array it came from";

    /// <summary>The members <see cref="MemoryMember"/> compiles, for the generated list in docs/csharp-subset.md.</summary>
    internal static readonly string[] MemoryMarshalNames = ["Cast<TFrom, TTo>(span)", "AsBytes(span)", "GetReference(span)", "GetArrayDataReference(T[])"],
        UnsafeNames = ["SizeOf<T>()", "As<TFrom, TTo>(ref TFrom)", "Add(ref T, int)", "Add(ref T, nint)", "Subtract(ref T, int)", "Subtract(ref T, nint)"];

    static bool IsMemoryMember(MethodBase callee) => callee.DeclaringType == typeof(MemoryMarshal) || callee.DeclaringType == typeof(Unsafe);

    void MemoryMember(MethodBase callee)
    {
        Type[] generic = callee is MethodInfo { IsGenericMethod: true } m ? m.GetGenericArguments() : [];
        ParameterInfo[] parameters = callee.GetParameters();
        bool spanArgument = parameters is [{ ParameterType: var first }] && SpanTypes.IsSpan(first);
        switch (callee.DeclaringType == typeof(Unsafe), callee.Name)
        {
            case (false, nameof(MemoryMarshal.Cast)) when spanArgument && generic.Length == 2:
                CastSpan(generic[0], generic[1]);
                return;
            case (false, nameof(MemoryMarshal.AsBytes)) when spanArgument && generic.Length == 1:
                CastSpan(generic[0], typeof(byte));
                return;
            case (false, nameof(MemoryMarshal.GetReference)) when spanArgument:
                {
                    (ValueId array, ValueId start, _) = SpanParts(Pop());
                    IrType element = TypeOf(array).Element!;
                    Push(Emit(Opcode.ElementAddress, types.ByRefTo(element), [array, start], target: element));
                    return;
                }
            case (false, nameof(MemoryMarshal.GetArrayDataReference)) when parameters is [{ ParameterType.IsArray: true }]:
                {
                    ValueId array = PopArray(1);
                    IrType element = TypeOf(array).Element!;
                    Push(Emit(Opcode.ElementAddress, types.ByRefTo(element), [array, ConstI32(0)], target: element));
                    return;
                }
            case (true, nameof(Unsafe.SizeOf)):
                Plain(generic[0], "Unsafe.SizeOf");
                Push(ConstI32((int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(generic[0]).Invoke(null, null)!));
                return;
            case (true, nameof(Unsafe.As)) when generic.Length == 2:
                ReinterpretRef(generic[0], generic[1]);
                return;
            case (true, nameof(Unsafe.Add) or nameof(Unsafe.Subtract)) when parameters is [{ ParameterType.IsByRef: true }, { ParameterType: var by }]
                && (by == typeof(int) || by == typeof(nint)):
                OffsetElementAddress(callee.Name == nameof(Unsafe.Subtract));
                return;
        }
        throw Error(CompilationErrorKind.UnsupportedCall, $"calling {Describe(callee)}", MemoryOffered);
    }

    /// <summary>The IR type of <paramref name="type"/> when it is a number, a SIMD vector or a struct of them (no references, no spans); else the refusal.</summary>
    IrType Plain(Type type, string what) =>
        types.Map(type) is { } mapped && (mapped.IsScalar || mapped is { Kind: IrTypeKind.Aggregate, HoldsCounted: false, Aggregate.IsSpan: false })
            ? mapped
            : throw Unsupported($"{what} of {type.Name}", "compiled code reinterprets memory of numbers, SIMD vectors and structs of them only (no references or spans)");

    /// <summary><c>MemoryMarshal.Cast</c>: a span of <paramref name="to"/> over the span of <paramref name="from"/> on the stack.</summary>
    void CastSpan(Type from, Type to)
    {
        IrType source = Plain(from, "MemoryMarshal.Cast"), target = Plain(to, "MemoryMarshal.Cast");
        SpanAggregate(typeof(Span<>).MakeGenericType(to));
        (ValueId array, ValueId start, ValueId length) = SpanParts(Pop());
        ValueId viewLength = Emit(Opcode.Call, IrType.I32, [length, ConstI32(source.Size), ConstI32(target.Size)],
            calleeIndex: ResolveCallee(typeof(SpanSubstitutes).GetMethod(nameof(SpanSubstitutes.CastLength), BindingFlags.Static | BindingFlags.NonPublic)!));
        ValueId offset = Emit(Opcode.Mul, IrType.I64, [Emit(Opcode.Convert, IrType.I64, [start], target: IrType.I64),
            Emit(Opcode.Const, IrType.I64, [], constant: source.Size)]);
        Push(Emit(Opcode.Intrinsic, types.ArrayOf(target, 1), [array, offset, viewLength], target: target, intrinsic: IntrinsicKind.ArrayView));
        CallSpanCore(SpanSubstitutes.Core("Span_Over", 1, to));
    }

    /// <summary><c>Unsafe.As&lt;TFrom, TTo&gt;(ref TFrom)</c>: the same address as a <paramref name="to"/>, when that reads and writes only the <paramref name="from"/>'s bytes.</summary>
    void ReinterpretRef(Type from, Type to)
    {
        IrType source = Plain(from, "Unsafe.As"), target = Plain(to, "Unsafe.As");
        int sourceAlign = source.Alignment, targetAlign = target.Alignment;
        if (target.Size > source.Size || targetAlign > sourceAlign)
            throw Unsupported($"Unsafe.As<{from.Name}, {to.Name}>", $"{to.Name} (size {target.Size}, alignment {targetAlign}) does not fit in the place of {from.Name} (size {source.Size}, alignment {sourceAlign}): "
                + "compiled code reinterprets a reference as a type no larger and no more aligned (use MemoryMarshal.Cast over a span for more)");
        if (target.Kind == IrTypeKind.Bool && source.Kind != IrTypeKind.Bool)
            throw Unsupported($"Unsafe.As<{from.Name}, Boolean>", "a bool read from other bytes could hold a value other than true or false");
        ValueId reference = Pop();
        if (TypeOf(reference) is not { Kind: IrTypeKind.ByRef } type || type.Element != source)
            throw Unsupported($"Unsafe.As<{from.Name}, {to.Name}> of a {TypeOf(reference)}", $"expected a reference to a {from.Name}");
        Push(Emit(Opcode.Intrinsic, types.ByRefTo(target), [reference], target: target, intrinsic: IntrinsicKind.ReinterpretRef));
    }

    /// <summary>
    /// <c>Unsafe.Add(ref e, n)</c>/<c>Subtract</c>: the element address <c>e</c> must have been made in this expression (its
    /// instruction is in this block), so its array and index are known; the result is that array's element at the index
    /// plus (minus) <c>n</c>, checked. The first address is dropped when nothing else reads it (its check is the new one's).
    /// </summary>
    void OffsetElementAddress(bool subtract)
    {
        ValueId by = Pop(), reference = Pop();
        Instruction? made = current.Instructions.LastOrDefault(i => i.Result == reference);
        if (made is not { Op: Opcode.ElementAddress, Operands.Length: 2 })
            throw Unsupported($"Unsafe.{(subtract ? "Subtract" : "Add")} of a reference {(made is null or { Op: Opcode.LoadSlot } ? "read from a variable or a parameter" : "that is not an array's or a span's element")}",
                "compiled code checks the address against the array it points into, which it knows only for a reference made in the same expression: "
                + "write Unsafe.Add(ref a[i], n) or Unsafe.Add(ref MemoryMarshal.GetReference(span), n), or index the array or span (loops drop the checks they prove)");
        ValueId array = made.Operands[0], index = made.Operands[1];
        bool wide = TypeOf(by) == IrType.NInt || TypeOf(index) == IrType.NInt;
        if (wide)
        {
            // A native offset may move past int's range: computed in 64 bits, the bounds check sees where it lands.
            by = Emit(Opcode.Convert, IrType.NInt, [by], target: IrType.NInt);
            index = Emit(Opcode.Convert, IrType.NInt, [index], target: IrType.NInt);
        }
        // Inside an array an index is not negative, so an int sum that wraps lands outside and the check raises.
        ValueId moved = Emit(subtract ? Opcode.Sub : Opcode.Add, wide ? IrType.NInt : IrType.I32, [index, by]);
        if (!current.Instructions.Any(i => i.Operands.Contains(reference)) && !stack.Any(s => s.Value == reference))
            current.Instructions.Remove(made);
        Push(Emit(Opcode.ElementAddress, made.Type, [array, moved], target: made.TargetType));
    }
}
