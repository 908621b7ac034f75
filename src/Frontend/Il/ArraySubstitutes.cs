using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>
/// The <see cref="Array"/> members compiled code runs as C# written here, with .NET's results, exceptions and
/// messages: <c>Fill</c>, <c>Clear</c>, <c>IndexOf</c>, <c>LastIndexOf</c>, <c>Reverse</c>, <c>Sort</c> (of
/// integers), <c>Copy</c>, <c>Clone</c>, <c>BinarySearch</c> and <c>Resize</c> of one-dimensional arrays. A method is named <c>Array_Member</c>, generic in the element type:
/// a generic member gives it, a member that takes <see cref="Array"/> takes it from the array it is called with (an instance member, as
/// <c>Clone</c>, takes the array first).
/// </summary>
// Compiled code raises exceptions it creates directly: ArgumentNullException.ThrowIfNull takes an object.
#pragma warning disable CA1510
internal static class ArraySubstitutes
{
    /// <summary>What compiled code offers of <see cref="Array"/> (for a refusal).</summary>
    public const string Supported = "compiled code offers Length, LongLength, GetLength, Rank, indexing, Empty, Clone, Copy (between arrays of one element type), BinarySearch, Resize (of a variable), "
        + "and Fill, Clear, IndexOf, LastIndexOf, Reverse and Sort (of integers) of a whole array";

    /// <summary>The substitute for <paramref name="member"/>, closed over the element type (the member's own, else <paramref name="argumentElement"/>), or null.</summary>
    public static MethodInfo? For(MethodBase member, Type? argumentElement)
    {
        Type? element = member is MethodInfo { IsGenericMethod: true } generic && generic.GetGenericArguments().Length == 1 ? generic.GetGenericArguments()[0] : argumentElement;
        if (element is null)
            return null;
        Type[] wanted = [.. member.IsStatic ? [] : new[] { element.MakeArrayType() }, .. member.GetParameters().Select(p => p.ParameterType == typeof(Array) ? element.MakeArrayType() : p.ParameterType)];
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

    // .NET's messages (its resources in English; the differential corpus holds them to .NET's).
    const string NeedNonNegative = "Non-negative number required.";
    const string SourceTooShort = "Source array was not long enough. Check the source index, length, and the array's lower bounds.";
    const string DestinationTooShort = "Destination array was not long enough. Check the destination index, length, and the array's lower bounds.";
#pragma warning disable CA2208 // the parameter names are .NET's, which the exceptions name

    static void Array_Copy<T>(T[] sourceArray, T[] destinationArray, int length) => Array_Copy(sourceArray, 0, destinationArray, 0, length);

    /// <summary><c>Array.Copy</c> between arrays of one element type: .NET's checks in its order, and <c>memmove</c>'s result where the parts overlap.</summary>
    static void Array_Copy<T>(T[] sourceArray, int sourceIndex, T[] destinationArray, int destinationIndex, int length)
    {
        if (sourceArray is null)
            throw new ArgumentNullException(nameof(sourceArray));
        if (destinationArray is null)
            throw new ArgumentNullException(nameof(destinationArray));
        // .NET's ArgumentOutOfRangeException.ThrowIfNegative and ThrowIfLessThan (against the lower bound, 0), with their messages.
        if (length < 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"length ('{length}') must be a non-negative value.");
        if (sourceIndex < 0)
            throw new ArgumentOutOfRangeException(nameof(sourceIndex), sourceIndex, $"sourceIndex ('{sourceIndex}') must be greater than or equal to '0'.");
        if ((uint)(sourceIndex + length) > (uint)sourceArray.Length)
            throw new ArgumentException(SourceTooShort, nameof(sourceArray));
        if (destinationIndex < 0)
            throw new ArgumentOutOfRangeException(nameof(destinationIndex), destinationIndex, $"destinationIndex ('{destinationIndex}') must be greater than or equal to '0'.");
        if ((uint)(destinationIndex + length) > (uint)destinationArray.Length)
            throw new ArgumentException(DestinationTooShort, nameof(destinationArray));
        if (sourceArray == destinationArray && sourceIndex < destinationIndex)
        {
            for (int i = length - 1; i >= 0; i--)
                destinationArray[destinationIndex + i] = sourceArray[sourceIndex + i];
        }
        else
        {
            for (int i = 0; i < length; i++)
                destinationArray[destinationIndex + i] = sourceArray[sourceIndex + i];
        }
    }

    /// <summary>The substitute of <c>Array.Resize(ref array, newSize)</c> for arrays of <paramref name="element"/>: it returns what the variable is assigned.</summary>
    public static MethodInfo Resize(Type element) =>
        typeof(ArraySubstitutes).GetMethod(nameof(Array_Resize), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(element);

    /// <summary><c>Array.Resize</c>: a new array of <paramref name="newSize"/> with the elements that fit, the array itself when its length is already that, a new one for null.</summary>
    static T[] Array_Resize<T>(T[]? array, int newSize)
    {
        if (newSize < 0)
            throw new ArgumentOutOfRangeException(nameof(newSize), "Non-negative number required.");
        if (array is null)
            return new T[newSize];
        if (array.Length == newSize)
            return array;
        var resized = new T[newSize];
        Array_Copy(array, resized, array.Length > newSize ? newSize : array.Length);
        return resized;
    }

    /// <summary><c>(T[])a.Clone()</c>: a new array of the same elements.</summary>
    static T[] Array_Clone<T>(T[] array)
    {
        var copy = new T[array.Length];
        for (int i = 0; i < copy.Length; i++)
            copy[i] = array[i];
        return copy;
    }

    static int Array_BinarySearch<T>(T[] array, T value) where T : IComparable<T>
    {
        if (array is null)
            throw new ArgumentNullException(nameof(array));
        return Search(array, 0, array.Length, value);
    }

    static int Array_BinarySearch<T>(T[] array, int index, int length, T value) where T : IComparable<T>
    {
        if (array is null)
            throw new ArgumentNullException(nameof(array));
        if (index < 0)
            throw new ArgumentOutOfRangeException(nameof(index), NeedNonNegative);
        if (length < 0)
            throw new ArgumentOutOfRangeException(nameof(length), NeedNonNegative);
        if (array.Length - index < length)
            throw new ArgumentException("Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.");
        return Search(array, index, length, value);
    }

    /// <summary>.NET's binary search (the same probes, so the same index among equal elements; <c>~lo</c> when absent), by <c>CompareTo</c>.</summary>
    static int Search<T>(T[] array, int index, int length, T value) where T : IComparable<T>
    {
        int lo = index, hi = index + length - 1;
        while (lo <= hi)
        {
            int i = lo + ((hi - lo) >> 1);
            int order = array[i].CompareTo(value);
            if (order == 0)
                return i;
            if (order < 0)
                lo = i + 1;
            else
                hi = i - 1;
        }
        return ~lo;
    }
#pragma warning restore CA2208

    static void Array_Sort<T>(T[] array) where T : System.Numerics.IBinaryInteger<T>
    {
        if (array is null)
            throw new ArgumentNullException(nameof(array));
        IntegerSort.Sort(array, 0, array.Length);
    }
}
