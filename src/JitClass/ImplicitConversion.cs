namespace Targets;

/// <summary>
/// C#'s implicit numeric conversions, for values crossing from .NET into compiled code (constructor
/// and method arguments, field and property writes): what C# would accept without a cast is
/// converted as C# converts it; anything narrower is refused by the caller with a message naming
/// both types. Overloads are ranked as C# ranks them: an exact match beats a conversion, and of two
/// conversions the one to the narrower type wins (int → long beats int → double).
/// </summary>
public static class ImplicitConversion
{
    static readonly Dictionary<Type, Type[]> Widening = new()
    {
        [typeof(sbyte)] = [typeof(short), typeof(int), typeof(long), typeof(float), typeof(double)],
        [typeof(byte)] = [typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(short)] = [typeof(int), typeof(long), typeof(float), typeof(double)],
        [typeof(ushort)] = [typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(char)] = [typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(int)] = [typeof(long), typeof(float), typeof(double)],
        [typeof(uint)] = [typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(long)] = [typeof(float), typeof(double)],
        [typeof(ulong)] = [typeof(float), typeof(double)],
        [typeof(float)] = [typeof(double)],
    };

    /// <summary>Whether C# converts a value of <paramref name="from"/> to <paramref name="to"/> implicitly (identity included).</summary>
    public static bool Exists(Type from, Type to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return from == to || (Widening.TryGetValue(from, out Type[]? targets) && targets.Contains(to));
    }

    /// <summary><paramref name="value"/> as a <paramref name="to"/>, as C#'s implicit conversion gives it.</summary>
    /// <exception cref="ArgumentException">No implicit conversion exists.</exception>
    public static object Convert(object value, Type to)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(to);
        if (value.GetType() == to)
            return value;
        if (!Exists(value.GetType(), to))
            throw new ArgumentException($"{value.GetType().Name} does not convert implicitly to {to.Name}.", nameof(value));
        return value is char c && to != typeof(ushort) ? System.Convert.ChangeType((int)c, to, System.Globalization.CultureInfo.InvariantCulture)
            : System.Convert.ChangeType(value, to, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>C#'s better conversion target: converting to <paramref name="a"/> is better than to <paramref name="b"/>.</summary>
    public static bool Better(Type a, Type b) => a != b && Exists(a, b) && !Exists(b, a);
}
