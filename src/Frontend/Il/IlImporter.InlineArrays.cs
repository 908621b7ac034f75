using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// The helpers C# calls to reach an <c>[InlineArray(n)]</c> struct's elements (<see cref="InlineArrays"/>): an element at a
/// constant index is the address of that field of the struct's aggregate; an element at an index computed at run time
/// (C#'s <c>foreach</c> counts one) and a span over the elements (what C# makes for <c>buffer[i]</c> of a local, slices and
/// the conversion to a span) view them in place through a descriptor in this function's frame
/// (<see cref="IntrinsicKind.FrameArray"/>), checked as an array's and a span's are.
/// The descriptor must outlive every copy of the span: it does when the struct is in this frame (a local, a parameter
/// passed by value, a struct field of one: C# keeps a span over those from leaving the method), or when no span can leave
/// this method (it returns none and takes no reference to one). Otherwise (a span over a <c>ref</c> parameter's, an
/// array element's or a jit class field's inline array in a method that gives spans back) it is refused with the reason.
/// </summary>
internal sealed partial class IlImporter
{
    void InlineArrayCall(MethodInfo callee, InlineArrayHelper helper)
    {
        Type buffer = callee.GetGenericArguments()[0];
        IrType aggregate = types.Map(buffer) is { Kind: IrTypeKind.Aggregate } mapped ? mapped
            : throw Error(CompilationErrorKind.UnsupportedType, $"inline array {buffer.Name}", types.WhyNot(buffer) ?? $"{buffer.Name} cannot be represented in compiled code");
        int length = aggregate.Aggregate!.Fields.Count;
        IrType element = aggregate.Aggregate.Fields[0].Type;
        ValueId? argument = helper == InlineArrayHelper.First ? null : Pop();
        long? constant = argument is { } given ? ConstantOf(given) : 0;
        ValueId address = PopStructAddress(aggregate, $"inline array {buffer.Name}");
        if (helper != InlineArrayHelper.Span && constant is { } index && index >= 0 && index < length)
        {
            Push(Emit(Opcode.MemberAddress, types.ByRefTo(element), [address], target: element, constant: index));
            return;
        }
        if (helper != InlineArrayHelper.Span)
        {
            // An index computed at run time (C#'s foreach over an inline array counts one): checked as an array's. The
            // descriptor serves this one access, so the struct may be anywhere.
            Push(Emit(Opcode.ElementAddress, types.ByRefTo(element), [FrameArray(address, element, length), argument!.Value], target: element));
            return;
        }
        if (constant != length)
            throw Unsupported($"a span over {constant?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "a computed number of"} elements of inline array {buffer.Name}", $"expected the pattern C# emits: a span over all {length} elements");
        if (!InFrame(address) && SpansMayLeave())
            throw Unsupported($"a span over inline array {buffer.Name} reached through a reference (a ref parameter, an array element or a jit class field) in a method that gives spans back",
                "the span's descriptor lives in this method's frame, and a span returned (or stored through a ref parameter) would outlive it: "
                + "make the span in the caller, or copy the inline array into a local");
        Push(FrameArray(address, element, length));
        CallSpanCore(SpanSubstitutes.Core("Span_Over", 1, callee.GetGenericArguments()[1]));
    }

    /// <summary>The elements of the inline array at <paramref name="address"/> as an array whose descriptor is in this frame.</summary>
    ValueId FrameArray(ValueId address, IrType element, int length)
    {
        ValueId first = Emit(Opcode.MemberAddress, types.ByRefTo(element), [address], target: element, constant: 0);
        return Emit(Opcode.Intrinsic, types.ArrayOf(element, 1), [first], target: element, constant: length, intrinsic: IntrinsicKind.FrameArray);
    }

    /// <summary>Whether a span made here can outlive this call: the method returns one, or takes a reference to one.</summary>
    bool SpansMayLeave() =>
        function.ReturnType.Aggregate is { IsSpan: true } || function.ParameterTypes.Any(p => p is { Kind: IrTypeKind.ByRef, Element.Aggregate.IsSpan: true });

    /// <summary>Whether <paramref name="address"/>, made in this block, is a local's or a by-value parameter's, or a struct field's of one.</summary>
    bool InFrame(ValueId address)
    {
        Instruction? made = current.Instructions.LastOrDefault(i => i.Result == address);
        while (made is { Op: Opcode.MemberAddress })
        {
            ValueId owner = made.Operands[0];
            made = current.Instructions.LastOrDefault(i => i.Result == owner);
        }
        return made is { Op: Opcode.SlotAddress };
    }
}
