namespace Targets.Frontend.Ir;

/// <summary>
/// An exception compiled code can raise: a type from <see cref="Types"/> and, when the C# passed
/// one, its constant string argument. .NET re-creates it with the same constructor, so the type
/// and message match what .NET itself would throw.
/// </summary>
public sealed record RaiseInfo(int TypeIndex, string? Argument)
{
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

    public Type Type => Types[TypeIndex];

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

    public override string ToString() => Argument is null ? Type.Name : $"{Type.Name}(\"{Argument}\")";
}
