using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>
/// C# written here that compiled code runs in place of a .NET library member whose own IL leaves
/// the subset (it throws through the runtime's resource strings, or uses hardware intrinsics).
/// Each substitute takes what the member takes (<c>this</c> first, by reference, for a struct's
/// instance member) and does what the member documents, with .NET's exceptions and messages.
/// The importer calls the substitute instead (<see cref="For"/>); the table is this class's methods,
/// named <c>Type_Member</c>.
/// </summary>
internal static class LibrarySubstitutes
{
    /// <summary>The substitute for <paramref name="member"/>, closed over its type's generic arguments, or null.</summary>
    public static MethodInfo? For(MethodBase member)
    {
        if (member.DeclaringType is not { } owner)
            return null;
        if (RoundingSubstitutes.For(member) is { } rounding)
            return rounding;
        if (owner == typeof(char) && CharSubstitutes.For(member) is { } classification)
            return classification;
        if (owner == typeof(System.Numerics.Vector2) || owner == typeof(System.Numerics.Vector3) || owner == typeof(System.Numerics.Vector4))
            return VectorSubstitute(owner, member);
        Type? definition = owner.IsGenericType ? owner.GetGenericTypeDefinition() : null;
        if (definition == typeof(Nullable<>) && member.Name == "get_Value")
            return Closed(nameof(Nullable_Value), owner);
        // C# makes the last element of a tuple of 8 or more another ValueTuple: the check of .NET's
        // constructor (a type test through a box) then holds, and the substitute stores the fields.
        if (definition == typeof(ValueTuple<,,,,,,,>) && member is ConstructorInfo && owner.GetGenericArguments()[7] is { IsGenericType: true } rest
            && rest.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
            return Closed(nameof(ValueTuple8_Constructor), owner);
        return null;
    }

    /// <summary>The <see cref="VectorSubstitutes"/> method named for <paramref name="member"/> that takes what it takes, or null (the member then compiles from its IL, or is refused).</summary>
    static MethodInfo? VectorSubstitute(Type owner, MethodBase member)
    {
        string name = $"{owner.Name}_{(member is ConstructorInfo ? "Constructor" : member.Name)}";
        var wanted = new List<Type>();
        if (!member.IsStatic)
            wanted.Add(owner.MakeByRefType());
        foreach (ParameterInfo p in member.GetParameters())
            wanted.Add(p.ParameterType);
        return typeof(VectorSubstitutes).GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic, [.. wanted]);
    }

    static MethodInfo Closed(string name, Type owner) =>
        typeof(LibrarySubstitutes).GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(owner.GetGenericArguments());

    /// <summary><c>new ValueTuple&lt;T1, …, T7, TRest&gt;(…)</c> when TRest is a ValueTuple (what C# writes for 8 elements or more).</summary>
    static void ValueTuple8_Constructor<T1, T2, T3, T4, T5, T6, T7, TRest>(ref ValueTuple<T1, T2, T3, T4, T5, T6, T7, TRest> self,
        T1 item1, T2 item2, T3 item3, T4 item4, T5 item5, T6 item6, T7 item7, TRest rest)
        where TRest : struct
    {
        self.Item1 = item1;
        self.Item2 = item2;
        self.Item3 = item3;
        self.Item4 = item4;
        self.Item5 = item5;
        self.Item6 = item6;
        self.Item7 = item7;
        self.Rest = rest;
    }

    /// <summary><c>Nullable&lt;T&gt;.Value</c>: its IL throws through a runtime helper that reads a resource string.</summary>
    static T Nullable_Value<T>(ref T? nullable)
        where T : struct
    {
        if (!nullable.HasValue)
            throw new InvalidOperationException("Nullable object must have a value.");
        return nullable.GetValueOrDefault();
    }
}
