using System.Globalization;
using System.Reflection;
using System.Text;

namespace Targets.Frontend.Ir;

/// <summary>
/// One argument of an exception constructor compiled code raises: a constant the host passes as
/// is (a string, or null), a runtime value the raise carries in the exception record's value
/// slot <see cref="Slot"/>, boxed on the host as <see cref="ValueType"/>, or a message built on the host from runtime
/// values (<see cref="Holes"/>: an interpolated string or a concatenation): <see cref="Constant"/> is then its
/// composite format, whose hole <c>{n}</c> is the n-th of <see cref="Holes"/>, formatted as .NET's interpolation
/// formats it (the current culture, the hole's alignment and format).
/// </summary>
public readonly record struct ExceptionArgument(object? Constant, int Slot = -1, TypeCode ValueType = TypeCode.Empty, MessageHole[]? Holes = null)
{
    public bool IsRuntime => Slot >= 0;

    public static ExceptionArgument Runtime(int slot, Type type) => new(null, slot, Type.GetTypeCode(type));

    /// <summary>A message of composite format <paramref name="composite"/> over the runtime values <paramref name="holes"/>.</summary>
    public static ExceptionArgument Formatted(string composite, MessageHole[] holes) => new(composite, Holes: holes);
}

/// <summary>
/// A runtime value of a message built on the host: the record's value slot and the value's type (an enum's underlying
/// number, with <see cref="Enum"/> the enum type, so the host formats the value as .NET does: by name).
/// </summary>
public readonly record struct MessageHole(int Slot, TypeCode ValueType, Type? Enum = null);

/// <summary>
/// <c>new X(arguments)</c> for any public constructor of an exception type — or <c>F(arguments)</c> of a static,
/// non-generic method that returns the exception it makes (<see cref="IsFactory"/>: a message formatted from
/// runtime values, as .NET's own throw helpers format theirs) — raised by compiled code and constructed on the host
/// with the same arguments, so the exception's type, message, <c>ParamName</c> and <c>ActualValue</c> are .NET's
/// own. Compiled code names the constructor by a <see cref="Descriptor"/> string (module version id, metadata
/// token, the arguments), which stays valid in any process that has the assembly loaded.
/// </summary>
public sealed record ExceptionConstructor(MethodBase Constructor, IReadOnlyList<ExceptionArgument> Arguments)
{
    /// <summary>The type of exception raised: the constructor's, or what the factory returns.</summary>
    public Type Raises => Constructor is MethodInfo factory ? factory.ReturnType : Constructor.DeclaringType!;

    /// <summary>A static method compiled code may raise the exception of: non-generic (its token names it), returning an exception.</summary>
    public static bool IsFactory(MethodInfo method) =>
        method.IsStatic && !method.IsGenericMethod && method.DeclaringType is { IsGenericType: false } && typeof(Exception).IsAssignableFrom(method.ReturnType);

    /// <summary>Runtime values one raise can carry: the exception record's value slots.</summary>
    public const int MaxRuntimeValues = 4;

    /// <summary>
    /// The types a runtime argument may have: the subset's scalars, and strings (the slot holds the string's
    /// descriptor, which the host reads while the call that raised is still running: see <see cref="Create"/>).
    /// </summary>
    public static bool IsRuntimeType(Type type) =>
        type.IsPrimitive && type != typeof(nint) && type != typeof(nuint) || type == typeof(string);

    public string Descriptor
    {
        get
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{Constructor.Module.ModuleVersionId:N}:{Constructor.MetadataToken:x8}");
            foreach (ExceptionArgument argument in Arguments)
            {
                text.Append(';');
                if (argument.IsRuntime)
                    text.Append(CultureInfo.InvariantCulture, $"v{argument.Slot}:{(int)argument.ValueType}");
                else if (argument.Holes is { } holes)
                    text.Append(CultureInfo.InvariantCulture, $"f{string.Join('/', holes.Select(Encode))}:{((string)argument.Constant!).Length}:").Append((string)argument.Constant!);
                else if (argument.Constant is string s)
                    text.Append(CultureInfo.InvariantCulture, $"s{s.Length}:").Append(s);
                else
                    text.Append('n');
            }
            return text.ToString();
        }
    }

    /// <summary>A hole as the descriptor writes it: <c>slot.type</c>, and for an enum <c>.module x token</c> of the enum type.</summary>
    static string Encode(MessageHole hole) =>
        hole.Enum is { } type ? $"{hole.Slot}.{(int)hole.ValueType}.{type.Module.ModuleVersionId:N}x{type.MetadataToken:x8}" : $"{hole.Slot}.{(int)hole.ValueType}";

    /// <summary>
    /// The exception <paramref name="descriptor"/> names, with the runtime values from the record (a string's value
    /// is its descriptor's address, which <paramref name="readText"/> reads; 0 is null); null when the descriptor is
    /// malformed or names a constructor no loaded assembly has.
    /// </summary>
    public static Exception? Create(string descriptor, ReadOnlySpan<long> values, Func<nint, string> readText)
    {
        ArgumentNullException.ThrowIfNull(readText);
        ExceptionConstructor? constructor = Decode(descriptor);
        if (constructor is null)
            return null;
        var arguments = new object?[constructor.Arguments.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            ExceptionArgument argument = constructor.Arguments[i];
            if (argument.Holes is { } holes)
            {
                var boxed = new object?[holes.Length];
                for (int h = 0; h < holes.Length; h++)
                {
                    if (!TryBox(values, holes[h].Slot, holes[h].ValueType, readText, out boxed[h]))
                        return null;
                    if (holes[h].Enum is { } enumType)
                        boxed[h] = Enum.ToObject(enumType, boxed[h]!);
                }
                arguments[i] = string.Format(null, (string)argument.Constant!, boxed); // as interpolation formats: the current culture
            }
            else if (!argument.IsRuntime)
                arguments[i] = argument.Constant;
            else if (!TryBox(values, argument.Slot, argument.ValueType, readText, out arguments[i]))
                return null;
        }
        try
        {
            return constructor.Constructor is MethodInfo factory ? (Exception?)factory.Invoke(null, arguments) : (Exception)((ConstructorInfo)constructor.Constructor).Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            return e.InnerException; // the constructor itself threw (an invalid argument): what .NET would throw at the same 'new'
        }
    }

    static ExceptionConstructor? Decode(string descriptor)
    {
        int colon = descriptor.IndexOf(':', StringComparison.Ordinal);
        int end = descriptor.IndexOf(';', StringComparison.Ordinal);
        if (end < 0)
            end = descriptor.Length;
        if (colon < 0 || colon > end || !Guid.TryParseExact(descriptor[..colon], "N", out Guid module)
            || !int.TryParse(descriptor.AsSpan(colon + 1, end - colon - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int token))
            return null;
        MethodBase? constructor = FindModule(module)?.ResolveMethod(token);
        if (constructor is not ConstructorInfo && (constructor is not MethodInfo method || !IsFactory(method)))
            return null;
        var arguments = new List<ExceptionArgument>();
        for (int at = end; at < descriptor.Length;)
        {
            if (descriptor[at] != ';' || at + 1 >= descriptor.Length)
                return null;
            at++;
            char kind = descriptor[at];
            if (kind == 'n')
            {
                arguments.Add(new ExceptionArgument(null));
                at++;
                continue;
            }
            if (kind == 'f')
            {
                // f<slot>.<type>/…:<length>:<composite>
                int holesEnd = descriptor.IndexOf(':', at);
                int lengthEnd = holesEnd < 0 ? -1 : descriptor.IndexOf(':', holesEnd + 1);
                if (lengthEnd < 0 || !int.TryParse(descriptor.AsSpan(holesEnd + 1, lengthEnd - holesEnd - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int compositeLength)
                    || lengthEnd + 1 + compositeLength > descriptor.Length)
                    return null;
                var holes = new List<MessageHole>();
                foreach (string hole in descriptor[(at + 1)..holesEnd].Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    string[] parts = hole.Split('.');
                    if (parts.Length is not (2 or 3) || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int slot)
                        || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
                        return null;
                    Type? enumType = null;
                    if (parts.Length == 3 && (parts[2].Split('x') is not [var enumModule, var enumToken] || !Guid.TryParseExact(enumModule, "N", out Guid typeModule)
                        || !int.TryParse(enumToken, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int typeToken)
                        || (enumType = FindModule(typeModule)?.ResolveType(typeToken)) is not { IsEnum: true }))
                        return null;
                    holes.Add(new MessageHole(slot, (TypeCode)code, enumType));
                }
                arguments.Add(ExceptionArgument.Formatted(descriptor.Substring(lengthEnd + 1, compositeLength), [.. holes]));
                at = lengthEnd + 1 + compositeLength;
                continue;
            }
            int separator = descriptor.IndexOf(':', at);
            if (separator < 0 || !int.TryParse(descriptor.AsSpan(at + 1, separator - at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                return null;
            if (kind == 's')
            {
                if (separator + 1 + number > descriptor.Length)
                    return null;
                arguments.Add(new ExceptionArgument(descriptor.Substring(separator + 1, number)));
                at = separator + 1 + number;
            }
            else if (kind == 'v')
            {
                int next = descriptor.IndexOf(';', separator);
                if (next < 0)
                    next = descriptor.Length;
                if (!int.TryParse(descriptor.AsSpan(separator + 1, next - separator - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int code))
                    return null;
                arguments.Add(new ExceptionArgument(null, number, (TypeCode)code));
                at = next;
            }
            else
            {
                return null;
            }
        }
        return arguments.Count == constructor.GetParameters().Length ? new ExceptionConstructor(constructor, arguments) : null;
    }

    static Module? FindModule(Guid id)
    {
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            foreach (Module module in assembly.GetModules())
            {
                if (module.ModuleVersionId == id)
                    return module;
            }
        }
        return null;
    }

    /// <summary>A record value slot as the .NET value (see the lowering's AsBits: integers extended, floats as double bits).</summary>
    /// <summary>A record slot's value as .NET's (a string read through <paramref name="readText"/>, 0 being null): false for a slot past the record or a type no slot holds.</summary>
    static bool TryBox(ReadOnlySpan<long> values, int slot, TypeCode type, Func<nint, string> readText, out object? value)
    {
        value = slot >= values.Length ? null : type == TypeCode.String ? values[slot] == 0 ? null : readText((nint)values[slot]) : BoxScalar(values[slot], type);
        return slot < values.Length && (value is not null || type == TypeCode.String);
    }

    static object? BoxScalar(long bits, TypeCode type) => type switch
    {
        TypeCode.Boolean => bits != 0,
        TypeCode.Char => (char)bits,
        TypeCode.SByte => (sbyte)bits,
        TypeCode.Byte => (byte)bits,
        TypeCode.Int16 => (short)bits,
        TypeCode.UInt16 => (ushort)bits,
        TypeCode.Int32 => (int)bits,
        TypeCode.UInt32 => (uint)bits,
        TypeCode.Int64 => bits,
        TypeCode.UInt64 => (ulong)bits,
        TypeCode.Single => (float)BitConverter.Int64BitsToDouble(bits),
        TypeCode.Double => BitConverter.Int64BitsToDouble(bits),
        _ => null,
    };

    public override string ToString()
    {
        var text = new StringBuilder(Constructor is MethodInfo factory ? $"{factory.DeclaringType!.Name}.{factory.Name}" : Constructor.DeclaringType!.Name).Append('(');
        for (int i = 0; i < Arguments.Count; i++)
        {
            if (i > 0)
                text.Append(", ");
            ExceptionArgument argument = Arguments[i];
            text.Append(argument.IsRuntime ? $"{argument.ValueType} value{argument.Slot}"
                : argument.Holes is { } holes ? $"$\"{argument.Constant}\" of {string.Join(", ", holes.Select(h => $"{h.ValueType} value{h.Slot}"))}"
                : argument.Constant is string s ? $"\"{s}\"" : "null");
        }
        return text.Append(')').ToString();
    }
}
