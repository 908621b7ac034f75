using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>
/// The span members compiled code runs as C# written here over <see cref="SpanView{T}"/> (what a span is in compiled
/// code; the importer builds the core ones in IR: see IlImporter.Spans): copies, fills, searches and comparisons, with
/// .NET's results, exceptions and messages. A method is named <c>Owner_Member</c> (<c>Span</c> for both span types,
/// <c>MemoryExtensions</c> for the extension methods) and takes what the member takes, a span as a view and the
/// instance member's span first, by reference. Each indexes the view's array at <c>Start + i</c> for <c>i</c> below
/// <c>Length</c>, which the view's invariant keeps inside the array.
/// </summary>
internal static class SpanSubstitutes
{
    /// <summary>The span members compiled code offers (for a refusal).</summary>
    public const string Supported = "compiled code offers a span's indexer, Length, IsEmpty, Slice (and ranges), Empty, ToArray, CopyTo, TryCopyTo, Fill, Clear, "
        + "and MemoryExtensions' AsSpan, IndexOf (of an element or a span), IndexOfAny, LastIndexOf, Contains, SequenceEqual, StartsWith, EndsWith, Reverse and Sort (of integers)";

    /// <summary>The substitute for <paramref name="member"/> of a span or <see cref="MemoryExtensions"/>, closed over its element type, or null.</summary>
    public static MethodInfo? For(MethodBase member)
    {
        Type owner = member.DeclaringType!;
        bool span = SpanTypes.IsSpan(owner);
        Type? element = span ? owner.GetGenericArguments()[0]
            : owner == typeof(MemoryExtensions) && member is MethodInfo { IsGenericMethod: true } generic && generic.GetGenericArguments().Length == 1 ? generic.GetGenericArguments()[0]
            : null;
        if (element is null)
            return null;
        var wanted = new List<Type>();
        if (!member.IsStatic)
            wanted.Add(SpanTypes.ViewOf(owner)!.MakeByRefType());
        foreach (ParameterInfo p in member.GetParameters())
            wanted.Add(AsView(p.ParameterType));
        string name = $"{(span ? "Span" : owner.Name)}_{member.Name}";
        return SubstituteTable.Closed(typeof(SpanSubstitutes), name, element, [.. wanted]);
    }

    // The core members the importer calls (see IlImporter.Spans): each keeps the view within its array. They raise
    // exactly what .NET's spans raise, which is an IndexOutOfRangeException and argument exceptions without a message.
#pragma warning disable CA2201, CA2208

    /// <summary>Where element <paramref name="index"/> of the span is in its array; .NET's exception past the span's end.</summary>
    internal static int Span_Index<T>(ref SpanView<T> self, int index)
    {
        if ((uint)index >= (uint)self.Length)
            throw new IndexOutOfRangeException();
        return self.Start + index;
    }

    /// <summary>
    /// The length of <c>MemoryMarshal.Cast</c>'s span: the whole elements of <paramref name="toSize"/> bytes that
    /// <paramref name="length"/> elements of <paramref name="fromSize"/> bytes hold, computed as .NET computes it (in 64 bits,
    /// checked: OverflowException when it passes int's range).
    /// </summary>
    internal static int CastLength(int length, int fromSize, int toSize) =>
        fromSize == toSize ? length
        : fromSize == 1 ? (int)((uint)length / (uint)toSize)
        : checked((int)((ulong)(uint)length * (ulong)fromSize / (ulong)toSize));

    /// <summary><c>new Span&lt;T&gt;(array)</c>: a null array makes an empty span.</summary>
    internal static SpanView<T> Span_Over<T>(T[]? array) =>
        new() { Array = array, Start = 0, Length = array is null ? 0 : array.Length };

    /// <summary><c>array.AsSpan(start)</c>.</summary>
    internal static SpanView<T> Span_Over<T>(T[]? array, int start)
    {
        int size = array is null ? 0 : array.Length;
        if ((uint)start > (uint)size)
            throw new ArgumentOutOfRangeException();
        return new() { Array = array, Start = start, Length = size - start };
    }

    /// <summary><c>new Span&lt;T&gt;(array, start, length)</c>, <c>array.AsSpan(start, length)</c>: the sum in 64 bits, as .NET's check.</summary>
    internal static SpanView<T> Span_Over<T>(T[]? array, int start, int length)
    {
        int size = array is null ? 0 : array.Length;
        if ((ulong)(uint)start + (uint)length > (uint)size)
            throw new ArgumentOutOfRangeException();
        return new() { Array = array, Start = start, Length = length };
    }

    /// <summary><c>text.AsSpan(start)</c> over a string's characters: checked as over an array, but .NET names the parameter.</summary>
    internal static SpanView<char> Text_Over(char[]? chars, int start)
    {
        int size = chars is null ? 0 : chars.Length;
        if ((uint)start > (uint)size)
            throw new ArgumentOutOfRangeException(nameof(start));
        return new() { Array = chars, Start = start, Length = size - start };
    }

    /// <summary><c>text.AsSpan(start, length)</c> over a string's characters: .NET names <c>start</c> whichever is out of range.</summary>
    internal static SpanView<char> Text_Over(char[]? chars, int start, int length)
    {
        int size = chars is null ? 0 : chars.Length;
        if ((ulong)(uint)start + (uint)length > (uint)size)
            throw new ArgumentOutOfRangeException(nameof(start));
        return new() { Array = chars, Start = start, Length = length };
    }

    internal static SpanView<T> Span_Slice<T>(ref SpanView<T> self, int start)
    {
        if ((uint)start > (uint)self.Length)
            throw new ArgumentOutOfRangeException();
        return new() { Array = self.Array, Start = self.Start + start, Length = self.Length - start };
    }

    internal static SpanView<T> Span_Slice<T>(ref SpanView<T> self, int start, int length)
    {
        if ((ulong)(uint)start + (uint)length > (uint)self.Length)
            throw new ArgumentOutOfRangeException();
        return new() { Array = self.Array, Start = self.Start + start, Length = length };
    }

#pragma warning restore CA2201, CA2208

    /// <summary>The core member <paramref name="name"/> taking <paramref name="arity"/> parameters, closed over <paramref name="element"/>.</summary>
    public static MethodInfo Core(string name, int arity, Type element) =>
        typeof(SpanSubstitutes).GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
            .Single(m => m.Name == name && m.GetParameters().Length == arity).MakeGenericMethod(element);

    static Type AsView(Type type) =>
        type.IsByRef ? AsView(type.GetElementType()!).MakeByRefType() : SpanTypes.ViewOf(type) ?? type;

    static T[] Span_ToArray<T>(ref SpanView<T> self)
    {
        var copy = new T[self.Length];
        for (int i = 0; i < copy.Length; i++)
            copy[i] = self.Array![self.Start + i];
        return copy;
    }

    static void Span_CopyTo<T>(ref SpanView<T> self, SpanView<T> destination)
    {
        if (!Span_TryCopyTo(ref self, destination))
            throw new ArgumentException("Destination is too short.", nameof(destination));
    }

    /// <summary>Copies as <c>memmove</c> does: backwards when the destination starts inside the source in the same array.</summary>
    static bool Span_TryCopyTo<T>(ref SpanView<T> self, SpanView<T> destination)
    {
        if (self.Length > destination.Length)
            return false;
        if (self.Array == destination.Array && destination.Start > self.Start)
        {
            for (int i = self.Length - 1; i >= 0; i--)
                destination.Array![destination.Start + i] = self.Array![self.Start + i];
        }
        else
        {
            for (int i = 0; i < self.Length; i++)
                destination.Array![destination.Start + i] = self.Array![self.Start + i];
        }
        return true;
    }

    static void Span_Fill<T>(ref SpanView<T> self, T value)
    {
        for (int i = 0; i < self.Length; i++)
            self.Array![self.Start + i] = value;
    }

    static void Span_Clear<T>(ref SpanView<T> self)
    {
        for (int i = 0; i < self.Length; i++)
            self.Array![self.Start + i] = default!;
    }

    // MemoryExtensions over Span<T> and ReadOnlySpan<T> (each has both overloads, one view here).

    static int MemoryExtensions_IndexOf<T>(SpanView<T> span, T value) where T : IEquatable<T>
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (EqualityComparer<T>.Default.Equals(value, span.Array![span.Start + i]))
                return i;
        }
        return -1;
    }

    static int MemoryExtensions_LastIndexOf<T>(SpanView<T> span, T value) where T : IEquatable<T>
    {
        for (int i = span.Length - 1; i >= 0; i--)
        {
            if (EqualityComparer<T>.Default.Equals(value, span.Array![span.Start + i]))
                return i;
        }
        return -1;
    }

    static bool MemoryExtensions_Contains<T>(SpanView<T> span, T value) where T : IEquatable<T> => MemoryExtensions_IndexOf(span, value) >= 0;

    /// <summary>Where <paramref name="value"/> first occurs in <paramref name="span"/> (an empty value at 0), or -1.</summary>
    static int MemoryExtensions_IndexOf<T>(SpanView<T> span, SpanView<T> value) where T : IEquatable<T>
    {
        for (int i = 0; i <= span.Length - value.Length; i++)
        {
            if (MatchesAt(span, i, value))
                return i;
        }
        return -1;
    }

    static int MemoryExtensions_IndexOfAny<T>(SpanView<T> span, T value0, T value1) where T : IEquatable<T>
    {
        for (int i = 0; i < span.Length; i++)
        {
            T item = span.Array![span.Start + i];
            if (EqualityComparer<T>.Default.Equals(value0, item) || EqualityComparer<T>.Default.Equals(value1, item))
                return i;
        }
        return -1;
    }

    static int MemoryExtensions_IndexOfAny<T>(SpanView<T> span, T value0, T value1, T value2) where T : IEquatable<T>
    {
        for (int i = 0; i < span.Length; i++)
        {
            T item = span.Array![span.Start + i];
            if (EqualityComparer<T>.Default.Equals(value0, item) || EqualityComparer<T>.Default.Equals(value1, item) || EqualityComparer<T>.Default.Equals(value2, item))
                return i;
        }
        return -1;
    }

    /// <summary>Where any of <paramref name="values"/> first occurs in <paramref name="span"/>, or -1.</summary>
    static int MemoryExtensions_IndexOfAny<T>(SpanView<T> span, SpanView<T> values) where T : IEquatable<T>
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (MemoryExtensions_IndexOf(values, span.Array![span.Start + i]) >= 0)
                return i;
        }
        return -1;
    }

    static bool MemoryExtensions_StartsWith<T>(SpanView<T> span, SpanView<T> value) where T : IEquatable<T> =>
        value.Length <= span.Length && MatchesAt(span, 0, value);

    static bool MemoryExtensions_EndsWith<T>(SpanView<T> span, SpanView<T> value) where T : IEquatable<T> =>
        value.Length <= span.Length && MatchesAt(span, span.Length - value.Length, value);

    /// <summary>Whether the elements of <paramref name="span"/> from <paramref name="at"/> are those of <paramref name="value"/> (which fits there).</summary>
    static bool MatchesAt<T>(SpanView<T> span, int at, SpanView<T> value) where T : IEquatable<T>
    {
        for (int k = 0; k < value.Length; k++)
        {
            if (!EqualityComparer<T>.Default.Equals(span.Array![span.Start + at + k], value.Array![value.Start + k]))
                return false;
        }
        return true;
    }

    static bool MemoryExtensions_SequenceEqual<T>(SpanView<T> span, SpanView<T> other) where T : IEquatable<T>
    {
        if (span.Length != other.Length)
            return false;
        for (int i = 0; i < span.Length; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(span.Array![span.Start + i], other.Array![other.Start + i]))
                return false;
        }
        return true;
    }

    static void MemoryExtensions_Reverse<T>(SpanView<T> span)
    {
        for (int i = 0, j = span.Length - 1; i < j; i++, j--)
            (span.Array![span.Start + i], span.Array![span.Start + j]) = (span.Array![span.Start + j], span.Array![span.Start + i]);
    }

    /// <summary>
    /// Sorts integers ascending (introsort: quicksort with a median-of-three pivot, heapsort past a depth limit,
    /// insertion sort for short runs). Integers equal in order are equal in value, so any correct sort gives .NET's
    /// result; floating-point elements are refused, where .NET's order of equal keys (-0.0 and 0.0) is its algorithm's.
    /// </summary>
    static void MemoryExtensions_Sort<T>(SpanView<T> span) where T : System.Numerics.IBinaryInteger<T> =>
        IntegerSort.Sort(span.Array!, span.Start, span.Length);
}
