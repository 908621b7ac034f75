using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>
/// The <see cref="Array"/> members compiled code runs as C# written here, with .NET's results, exceptions and
/// messages: <c>Fill</c>, <c>Clear</c>, <c>IndexOf</c>, <c>LastIndexOf</c>, <c>Reverse</c> and <c>Sort</c> (of
/// integers) of a whole one-dimensional array. A method is named <c>Array_Member</c>, generic in the element type:
/// a generic member gives it, a member that takes <see cref="Array"/> takes it from the array it is called with.
/// </summary>
// Compiled code raises exceptions it creates directly: ArgumentNullException.ThrowIfNull takes an object.
#pragma warning disable CA1510
internal static class ArraySubstitutes
{
    /// <summary>What compiled code offers of <see cref="Array"/> (for a refusal).</summary>
    public const string Supported = "compiled code offers Length, LongLength, GetLength, Rank, indexing, Empty, and Fill, Clear, IndexOf, LastIndexOf, Reverse and Sort (of integers) "
        + "of a whole array; copy parts with spans: a.AsSpan(from, count).CopyTo(b.AsSpan(to))";

    /// <summary>The substitute for <paramref name="member"/>, closed over the element type (the member's own, else <paramref name="argumentElement"/>), or null.</summary>
    public static MethodInfo? For(MethodBase member, Type? argumentElement)
    {
        Type? element = member is MethodInfo { IsGenericMethod: true } generic && generic.GetGenericArguments().Length == 1 ? generic.GetGenericArguments()[0] : argumentElement;
        if (element is null)
            return null;
        Type[] wanted = [.. member.GetParameters().Select(p => p.ParameterType == typeof(Array) ? element.MakeArrayType() : p.ParameterType)];
        return SubstituteTable.Closed(typeof(ArraySubstitutes), $"Array_{member.Name}", element, wanted);
    }

    static void Array_Fill<T>(T[] array, T value)
    {
        if (array is null)
            throw new ArgumentNullException(nameof(array));
        for (int i = 0; i < array.Length; i++)
            array[i] = value;
    }

    static void Array_Clear<T>(T[] array)
    {
        if (array is null)
            throw new ArgumentNullException(nameof(array));
        for (int i = 0; i < array.Length; i++)
            array[i] = default!;
    }

    static int Array_IndexOf<T>(T[] array, T value)
    {
        if (array is null)
            throw new ArgumentNullException(nameof(array));
        for (int i = 0; i < array.Length; i++)
        {
            if (EqualityComparer<T>.Default.Equals(array[i], value))
                return i;
        }
        return -1;
    }

    static int Array_LastIndexOf<T>(T[] array, T value)
    {
        if (array is null)
            throw new ArgumentNullException(nameof(array));
        for (int i = array.Length - 1; i >= 0; i--)
        {
            if (EqualityComparer<T>.Default.Equals(array[i], value))
                return i;
        }
        return -1;
    }

    static void Array_Reverse<T>(T[] array)
    {
        if (array is null)
            throw new ArgumentNullException(nameof(array));
        for (int i = 0, j = array.Length - 1; i < j; i++, j--)
            (array[i], array[j]) = (array[j], array[i]);
    }

    static void Array_Sort<T>(T[] array) where T : System.Numerics.IBinaryInteger<T>
    {
        if (array is null)
            throw new ArgumentNullException(nameof(array));
        IntegerSort.Sort(array, 0, array.Length);
    }
}
