using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Messages of thrown exceptions built from runtime values, which the host builds when compiled code raises (see
/// <see cref="ExceptionArgument.Formatted"/>), so the text is .NET's: an interpolated string (C#'s
/// <see cref="DefaultInterpolatedStringHandler"/> in a local: its constructor, <c>AppendLiteral</c>,
/// <c>AppendFormatted</c> with an alignment and a format, <c>ToStringAndClear</c>), <c>x.ToString()</c> of a number, and
/// <c>string.Concat</c> of these, strings and literals; a string value is carried as its descriptor, which the host reads
/// while the call that raised still lends it. The parts are gathered while the importer reads them, in one block (a hole
/// computed with branches is refused); the message exists only as an exception's argument: anywhere else it is a new
/// string, which compiled code does not build.
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>One part of a message: literal text, or a runtime value with its .NET type, alignment and format.</summary>
    readonly record struct MessagePart(string? Literal, ValueId Value = default, Type? Type = null, int Alignment = 0, string? Format = null);

    /// <summary>The message an interpolation handler local is building, and the block it is built in.</summary>
    sealed record MessageBuilder(IrBlock Block, List<MessagePart> Parts);

    /// <summary>Slots of the locals that hold an interpolation handler.</summary>
    readonly HashSet<int> messageSlots = [];

    /// <summary>The message each handler local is building (while the importer reads its block).</summary>
    readonly Dictionary<int, MessageBuilder> messages = [];

    static bool IsMessageHandler(Type type) => type == typeof(DefaultInterpolatedStringHandler);

    /// <summary>A call on an interpolation handler local (the address of its local is below the arguments).</summary>
    void MessageMember(MethodBase callee)
    {
        ParameterInfo[] parameters = callee.GetParameters();
        var arguments = new StackItem[parameters.Length];
        for (int a = parameters.Length - 1; a >= 0; a--)
            arguments[a] = PopItem();
        if (PopItem().MessageSlot is not { } slot || slot == NewHandler)
            throw Unsupported("an interpolated string handler that is not a local", "write the interpolated string directly as the exception's message");
        if (callee is ConstructorInfo)
        {
            messages[slot] = new MessageBuilder(current, []);
            return;
        }
        if (!messages.TryGetValue(slot, out MessageBuilder? builder) || builder.Block != current)
            throw Unsupported("an interpolated string whose parts are computed with branches (a conditional or a switch in a hole)",
                "compute the values into variables first, then interpolate the variables");
        switch (callee.Name)
        {
            case nameof(DefaultInterpolatedStringHandler.AppendLiteral):
                builder.Parts.Add(new MessagePart(arguments[0].String ?? throw Unsupported("AppendLiteral of a string computed at run time", "expected a literal")));
                return;
            case nameof(DefaultInterpolatedStringHandler.AppendFormatted) when parameters[0].ParameterType == typeof(string) && parameters.Length == 1:
                builder.Parts.Add(arguments[0].String is { } text ? new MessagePart(text) : MessageValue(arguments[0], typeof(string)));
                return;
            case nameof(DefaultInterpolatedStringHandler.AppendFormatted) when callee.IsGenericMethod:
                {
                    Type type = ((MethodInfo)callee).GetGenericArguments()[0];
                    int alignment = 0;
                    string? format = null;
                    for (int a = 1; a < parameters.Length; a++)
                    {
                        if (parameters[a].ParameterType == typeof(string))
                            format = arguments[a].String ?? (IsNullConstant(arguments[a]) ? null : throw Unsupported("a format computed at run time", "write the format in the hole: {value:F2}"));
                        else
                            alignment = (int)(ConstantOf(arguments[a].Value) ?? throw Unsupported("an alignment computed at run time", "write the alignment in the hole: {value,8}"));
                    }
                    builder.Parts.Add(MessageValue(arguments[0], type, alignment, format));
                    return;
                }
            case nameof(DefaultInterpolatedStringHandler.ToStringAndClear):
                messages.Remove(slot);
                stack.Add(new StackItem(default, Message: builder.Parts));
                return;
        }
        throw Unsupported($"an interpolated string's hole of type {parameters[0].ParameterType.Name}",
            "a message built for an exception holds literals, strings, numbers, bools and chars");
    }

    /// <summary><c>new DefaultInterpolatedStringHandler(…)</c> (Debug IL builds the handler, then stores it in its local): a marker the store takes.</summary>
    void NewMessageHandler(MethodBase ctor)
    {
        for (int a = 0; a < ctor.GetParameters().Length; a++)
            PopItem();
        stack.Add(new StackItem(default, MessageSlot: NewHandler));
    }

    /// <summary>The <see cref="StackItem.MessageSlot"/> of a handler made by <c>newobj</c>, not yet in its local.</summary>
    const int NewHandler = -1;

    /// <summary>Stores a new handler (<see cref="NewMessageHandler"/>) into its local: the local's message starts; false for any other store.</summary>
    bool StoreMessageHandler(int slot)
    {
        if (stack.Count == 0 || stack[^1].MessageSlot != NewHandler || !messageSlots.Contains(slot))
            return false;
        PopItem();
        messages[slot] = new MessageBuilder(current, []);
        return true;
    }

    /// <summary>
    /// A runtime value of a message: a number, bool, char or enum (what the exception record carries). In a collection's
    /// substitute, a struct or jit class key is its type's name, which is .NET's text of a struct or class without a
    /// ToString of its own (one with one, a record's, prints differently in .NET: docs/collections.md says so).
    /// </summary>
    MessagePart MessageValue(StackItem item, Type type, int alignment = 0, string? format = null)
    {
        if (type.IsEnum && !item.IsPseudo && item.Boxed is null && TypeOf(item.Value).IsScalar)
            return new MessagePart(null, item.Value, type, alignment, format);
        if ((type is { IsValueType: true, IsPrimitive: false, IsEnum: false } || type.IsClass && types.IsJitClass(type)) && !item.IsPseudo && function.Method?.DeclaringType is { } owner
            && Collections.CollectionTypes.IsSubstituteOrPart(owner))
            return new MessagePart(type.ToString());
        if (item.IsPseudo || item.Boxed is not null || !ExceptionConstructor.IsRuntimeType(type) || !TypeOf(item.Value).IsScalar && !TypeOf(item.Value).IsString)
            throw Unsupported($"a {type.Name} in a message built for an exception", "a message built for an exception holds literals, strings, numbers, bools and chars");
        return new MessagePart(null, item.Value, type, alignment, format);
    }

    bool IsNullConstant(StackItem item) => !item.IsPseudo && TypeOf(item.Value) == IrType.Null;

    /// <summary>Whether <paramref name="callee"/> is <c>ToString()</c> of a number, bool or char (its address on the stack): a message's value.</summary>
    static bool IsValueToString(MethodBase callee) =>
        callee is MethodInfo { Name: nameof(ToString), IsStatic: false } && callee.GetParameters().Length == 0 && callee.DeclaringType is { IsValueType: true } owner && ExceptionConstructor.IsRuntimeType(owner);

    /// <summary><c>x.ToString()</c> of a number: a message of the one value (it is a new string anywhere else).</summary>
    void ValueToString(MethodBase callee)
    {
        ValueId address = Pop();
        IrType type = types.Map(callee.DeclaringType!)!;
        if (TypeOf(address).Kind != IrTypeKind.ByRef)
            throw Unsupported($"{callee.DeclaringType!.Name}.ToString() of a value that is not a variable", NoNewStrings);
        ValueId value = Emit(Opcode.LoadIndirect, type.StackType, [address], target: type);
        stack.Add(new StackItem(default, Message: [MessageValue(new StackItem(value), callee.DeclaringType!)]));
    }

    /// <summary>
    /// <c>string.Concat</c> of literals, strings and messages: one message (a new string, which only an exception's
    /// argument may be: anywhere else the message is refused when it is used).
    /// </summary>
    bool ConcatMessage(MethodBase callee)
    {
        ParameterInfo[] parameters = callee.GetParameters();
        if (callee.Name != nameof(string.Concat) || parameters.Length is < 2 or > 4 || parameters.Any(p => p.ParameterType != typeof(string))
            || stack.Count < parameters.Length
            || !stack.Skip(stack.Count - parameters.Length).All(item => item.Message is not null || item.String is not null || !item.IsPseudo && TypeOf(item.Value).IsString))
            return false;
        var parts = new List<MessagePart>();
        foreach (StackItem item in stack.Skip(stack.Count - parameters.Length))
        {
            if (item.String is { } text)
                parts.Add(new MessagePart(text));
            else if (item.Message is { } message)
                parts.AddRange(message);
            else
                parts.Add(MessageValue(item, typeof(string)));
        }
        stack.RemoveRange(stack.Count - parameters.Length, parameters.Length);
        stack.Add(new StackItem(default, Message: parts));
        return true;
    }

    /// <summary>
    /// A message as an exception's argument: its composite format (literal braces doubled, a hole <c>{n[,alignment][:format]}</c>
    /// per value) and its values, added to <paramref name="values"/> last first (the caller reverses them) as the holes' slots.
    /// </summary>
    static ExceptionArgument MessageArgument(List<MessagePart> parts, List<ValueId> values)
    {
        var composite = new StringBuilder();
        var holes = new List<MessageHole>();
        foreach (MessagePart part in parts)
        {
            if (part.Literal is { } text)
            {
                composite.Append(text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
                continue;
            }
            composite.Append(CultureInfo.InvariantCulture, $"{{{holes.Count}");
            if (part.Alignment != 0)
                composite.Append(CultureInfo.InvariantCulture, $",{part.Alignment}");
            if (part.Format is { } format)
                composite.Append(':').Append(format.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
            composite.Append('}');
            holes.Add(new MessageHole(-1, Type.GetTypeCode(part.Type!), part.Type!.IsEnum ? part.Type : null));
        }
        foreach (MessagePart part in Enumerable.Reverse(parts))
        {
            if (part.Literal is null)
                values.Add(part.Value);
        }
        return ExceptionArgument.Formatted(composite.ToString(), [.. holes]);
    }
}
