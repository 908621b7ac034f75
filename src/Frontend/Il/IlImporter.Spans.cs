using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// <see cref="Span{T}"/> and <see cref="ReadOnlySpan{T}"/> (a <see cref="SpanView{T}"/> each): creation over an array
/// (<c>new Span&lt;T&gt;(a, start, length)</c>, <c>a.AsSpan(…)</c>, the conversion from <c>T[]</c>) and over
/// <c>stackalloc</c>, the indexer, <c>Length</c>, <c>IsEmpty</c>, <c>Slice</c> (what C# makes of ranges over a
/// span), <c>Empty</c> and the conversion to a read-only span, each checked as .NET checks it and raising what .NET
/// raises. Creation, slicing and the indexer's check are calls of <see cref="SpanSubstitutes"/>' core members (C#
/// with .NET's checks, which LLVM inlines); the indexer checks the index against the span's length only: the view
/// lies within its array, so the element address needs no second check. Every other member is a substitute or refused.
/// </summary>
internal sealed partial class IlImporter
{
    const int ViewArray = 0, ViewLength = 2;

    static bool IsSpanMember(MethodBase callee) => SpanTypes.IsSpan(callee.DeclaringType) || callee.DeclaringType == typeof(MemoryExtensions);

    /// <summary><c>a.AsSpan()</c>, <c>a.AsSpan(start)</c>, <c>a.AsSpan(start, length)</c> of an array.</summary>
    static bool IsArrayAsSpan(MethodBase callee) =>
        callee.Name == nameof(MemoryExtensions.AsSpan) && callee.GetParameters() is [{ ParameterType.IsArray: true }, ..] parameters
        && parameters.Skip(1).All(p => p.ParameterType == typeof(int));

    /// <summary>The aggregate of the span type <paramref name="span"/>, or the error that says why it has none.</summary>
    IrType SpanAggregate(Type span) =>
        types.Map(span) is { Kind: IrTypeKind.Aggregate } mapped
            ? mapped
            : throw Error(CompilationErrorKind.UnsupportedType, $"a {ReadableSpan(span)}", types.WhyNot(span) ?? $"{ReadableSpan(span)} cannot be represented in compiled code");

    static string ReadableSpan(Type span) => $"{span.Name[..span.Name.IndexOf('`', StringComparison.Ordinal)]}<{span.GetGenericArguments()[0].Name}>";

    void SpanMember(MethodBase callee)
    {
        Type owner = callee.DeclaringType!;
        if (owner == typeof(MemoryExtensions) && IsArrayAsSpan(callee))
        {
            Type viewed = ((MethodInfo)callee).GetGenericArguments()[0];
            SpanAggregate(typeof(Span<>).MakeGenericType(viewed));
            CallSpanCore(SpanSubstitutes.Core("Span_Over", callee.GetParameters().Length, viewed));
            return;
        }
        if (owner == typeof(MemoryExtensions) && callee.Name == nameof(MemoryExtensions.AsSpan) && callee.GetParameters() is [{ ParameterType: var text }, ..] && text == typeof(string))
        {
            StringChars(callee.GetParameters().Length);
            return;
        }
        if (owner == typeof(MemoryExtensions))
        {
            CallSubstitute(SpanSubstitutes.For(callee) ?? throw Error(CompilationErrorKind.UnsupportedCall, $"MemoryExtensions.{callee.Name}", SpanSubstitutes.Supported));
            return;
        }
        IrType aggregate = SpanAggregate(owner);
        Type elementClr = owner.GetGenericArguments()[0];
        IrType element = aggregate.Aggregate!.Fields[ViewArray].Type.Element!;
        switch (callee.Name, callee.GetParameters().Length)
        {
            case ("get_Item", 1):
                {
                    // The call checks the index and gives its place in the array (LLVM inlines it: values never cross
                    // blocks in the importer's IR, so the check is not a branch here).
                    ValueId index = PopIndex();
                    ValueId self = PopStructAddress(aggregate, "a span's indexer");
                    ValueId at = Emit(Opcode.Call, IrType.I32, [self, index], calleeIndex: ResolveCallee(SpanSubstitutes.Core("Span_Index", 2, elementClr)));
                    ValueId array = ViewMember(self, aggregate, ViewArray);
                    Push(Emit(Opcode.ElementAddress, types.ByRefTo(element), [array, at], target: element, boundsChecked: false));
                    return;
                }
            case ("get_Length", 0):
                Push(ViewMember(PopStructAddress(aggregate, "a span's Length"), aggregate, ViewLength));
                return;
            case ("get_IsEmpty", 0):
                Push(Emit(Opcode.Compare, IrType.I32, [ViewMember(PopStructAddress(aggregate, "a span's IsEmpty"), aggregate, ViewLength), ConstI32(0)], condition: Condition.Eq));
                return;
            case ("get_Empty", 0):
                Push(Zero(aggregate));
                return;
            case ("op_Implicit", 1) when callee.GetParameters()[0].ParameterType.IsArray:
                CallSpanCore(SpanSubstitutes.Core("Span_Over", 1, elementClr));
                return;
            case ("op_Implicit", 1) when SpanTypes.IsSpan(callee.GetParameters()[0].ParameterType):
                return; // Span<T> to ReadOnlySpan<T>: one aggregate
        }
        if (SpanSubstitutes.For(callee) is { } substitute)
        {
            CallSubstitute(substitute);
            return;
        }
        throw Error(CompilationErrorKind.UnsupportedCall, $"{ReadableSpan(owner)}.{callee.Name}", SpanSubstitutes.Supported);
    }

    /// <summary><c>new Span&lt;T&gt;(…)</c>: over an array, a part of one, or <c>stackalloc</c>'s memory.</summary>
    void NewSpan(ConstructorInfo ctor)
    {
        IrType aggregate = SpanAggregate(ctor.DeclaringType!);
        Type elementClr = ctor.DeclaringType!.GetGenericArguments()[0];
        ParameterInfo[] parameters = ctor.GetParameters();
        if (parameters is [{ ParameterType.IsPointer: true }, _] && stack.Count >= 2 && stack[^2].Field is { } blob)
        {
            // ReadOnlySpan<byte> P => new byte[] { … }: C# points the span at its data blob (ldsflda).
            ValueId length = Pop();
            PopItem();
            if (ConstantOf(length) is not { } count)
                throw Unsupported($"a span over the data of {blob.Name} with a length computed at run time", "expected the pattern C# emits for a span over constant data");
            Push(ConstantArray(blob, aggregate.Aggregate!.Fields[ViewArray].Type.Element!, count));
            CallSpanCore(SpanSubstitutes.Core("Span_Over", 1, elementClr));
            return;
        }
        if (parameters is [{ ParameterType.IsPointer: true }, _])
        {
            ValueId count = Pop();
            StackItem memory = PopItem();
            if (!memory.Stackalloc)
                throw Unsupported($"new {ReadableSpan(ctor.DeclaringType!)}(void*, int) over a pointer", "compiled code has no pointers: a span is made over an array or a stackalloc");
            IrType stackElement = aggregate.Aggregate!.Fields[ViewArray].Type.Element!;
            Push(Emit(Opcode.Intrinsic, types.ArrayOf(stackElement, 1), [count], target: stackElement, intrinsic: IntrinsicKind.StackArray));
            CallSpanCore(SpanSubstitutes.Core("Span_Over", 1, elementClr));
            return;
        }
        if (!parameters[0].ParameterType.IsArray || parameters.Length is not (1 or 3))
            throw Error(CompilationErrorKind.UnsupportedCall, $"new {ReadableSpan(ctor.DeclaringType!)}({string.Join(", ", parameters.Select(p => p.ParameterType.Name))})",
                "spans are made over an array (new Span<T>(a), new Span<T>(a, start, length), a.AsSpan(…)) or a stackalloc");
        CallSpanCore(SpanSubstitutes.Core("Span_Over", parameters.Length, elementClr));
    }

    /// <summary>
    /// <c>RuntimeHelpers.CreateSpan&lt;T&gt;(ldtoken field)</c>: how C# makes <c>ReadOnlySpan&lt;T&gt; P =&gt; new T[] { … }</c> of
    /// numbers wider than a byte (and .NET's own tables, as <c>Math.Round</c>'s powers of ten): a span over the data.
    /// </summary>
    void CreateSpan(MethodInfo callee)
    {
        StackItem token = PopItem();
        Type elementClr = callee.GetGenericArguments()[0];
        IrType aggregate = SpanAggregate(typeof(ReadOnlySpan<>).MakeGenericType(elementClr));
        IrType element = aggregate.Aggregate!.Fields[ViewArray].Type.Element!;
        if (token.Field is not { } blob || !element.IsScalar)
            throw Unsupported($"RuntimeHelpers.CreateSpan<{elementClr.Name}> without a constant field", "expected the pattern C# emits for a span over constant data of numbers");
        Push(ConstantArray(blob, element, System.Runtime.InteropServices.Marshal.SizeOf(blob.FieldType) / element.Size));
        CallSpanCore(SpanSubstitutes.Core("Span_Over", 1, elementClr));
    }

    /// <summary>The read-only array over the data of <paramref name="blob"/>: <paramref name="count"/> numbers of <paramref name="element"/>.</summary>
    ValueId ConstantArray(FieldInfo blob, IrType element, long count)
    {
        if (!element.IsScalar || !blob.Attributes.HasFlag(FieldAttributes.HasFieldRVA) || count * element.Size > System.Runtime.InteropServices.Marshal.SizeOf(blob.FieldType))
            throw Unsupported($"a span of {element} over {blob.Name}", "spans over constant data hold numbers (the C# compiler's data blobs)");
        return Emit(Opcode.Intrinsic, types.ArrayOf(element, 1), [], target: element, constant: count, field: blob, intrinsic: IntrinsicKind.ConstantArray);
    }

    /// <summary>A call of a core span member of <see cref="SpanSubstitutes"/> on what the stack holds; arrays of another element type are refused.</summary>
    void CallSpanCore(MethodInfo core)
    {
        int arity = core.GetParameters().Length;
        ValueId array = stack[^arity].Value;
        IrType expected = types.Map(core.GetParameters()[0].ParameterType)!;
        if (!stack[^arity].IsPseudo && TypeOf(array) is { Kind: IrTypeKind.Array } given && given != expected)
            throw Unsupported($"a span over a {given}", $"a span's element type is its array's ({expected})");
        CallSubstitute(core);
    }

    /// <summary>
    /// <c>localloc</c>: a marker for the span constructor that takes the memory (C# makes nothing else of a
    /// <c>stackalloc</c> outside unsafe code), which makes the stack array from the span's length. IL computed the byte
    /// count with an overflow check before this, as in .NET; the count itself is not needed.
    /// </summary>
    void LocalAllocation()
    {
        Pop();
        stack.Add(new StackItem(default, Stackalloc: true));
    }

    /// <summary>A member of the span <paramref name="self"/> points at.</summary>
    ValueId ViewMember(ValueId self, IrType aggregate, int member)
    {
        IrType type = aggregate.Aggregate!.Fields[member].Type;
        ValueId address = Emit(Opcode.MemberAddress, types.ByRefTo(type), [self], target: type, constant: member);
        return Emit(Opcode.LoadIndirect, type.StackType, [address], target: type);
    }
}
