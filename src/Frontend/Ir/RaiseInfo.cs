namespace Targets.Frontend.Ir;

/// <summary>
/// An exception compiled code can raise: a type from <see cref="Types"/> and, when the C# passed
/// one, its constant string argument; or, for any other public constructor of an exception type,
/// its <see cref="Constructor"/> (whose runtime values are the Raise's operands). .NET re-creates
/// it with the same constructor, so the type and message match what .NET itself would throw.
/// </summary>
public sealed record RaiseInfo(int TypeIndex, string? Argument)
{
    /// <summary>The general form: set when the exception is not one of <see cref="Types"/> created with no argument or one string.</summary>
    public ExceptionConstructor? Constructor { get; init; }

    /// <summary>
    /// A raise through <paramref name="constructor"/>: its type index is that of the nearest of <see cref="Types"/>
    /// the type is or derives from, which is what catch clauses test (the host re-creates it by the constructor).
    /// </summary>
    public static RaiseInfo Constructed(ExceptionConstructor constructor) =>
        new(NearestListed(constructor.Raises), null) { Constructor = constructor };

    static int NearestListed(Type type)
    {
        for (Type? t = type; t is not null; t = t.BaseType)
        {
            if (IndexOf(t) is >= 0 and int index)
                return index;
        }
        return 0; // every exception derives from Exception, Types[0]
    }

    /// <summary>The exception types compiled code can raise; the index is part of the native ABI.</summary>
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(Exception), typeof(ArgumentException), typeof(ArgumentOutOfRangeException),
        typeof(ArgumentNullException), typeof(InvalidOperationException), typeof(NotSupportedException),
        typeof(NotImplementedException), typeof(IndexOutOfRangeException), typeof(DivideByZeroException),
        typeof(OverflowException), typeof(ArithmeticException), typeof(InvalidCastException),
        typeof(NullReferenceException), typeof(KeyNotFoundException), typeof(FormatException),
        typeof(OutOfMemoryException),
    ];

    public Type Type => Constructor?.Raises ?? Types[TypeIndex];

    public static RaiseInfo Of<T>(string? argument = null) where T : Exception =>
        new(IndexOf(typeof(T)), argument);

    public static int IndexOf(Type type)
    {
        for (int i = 0; i < Types.Count; i++)
        {
            if (Types[i] == type)
                return i;
        }
        return -1;
    }

    /// <summary>The exception .NET would throw: same type, same constructor, same argument.</summary>
    public Exception Create() =>
        Argument is null
            ? (Exception)Activator.CreateInstance(Type)!
            : (Exception)Activator.CreateInstance(Type, Argument)!;

    public override string ToString() =>
        Constructor?.ToString() ?? (Argument is null ? Type.Name : $"{Type.Name}(\"{Argument}\")");
}
