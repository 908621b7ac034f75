using System.Reflection;

namespace Targets.Frontend.Il.Collections;

/// <summary>
/// The .NET collection types compiled code runs on jit classes of its own (<see cref="ListOf{T}"/> for
/// <see cref="List{T}"/>, <see cref="DictionaryOf{TKey, TValue}"/>, <see cref="HashSetOf{T}"/>, <see cref="QueueOf{T}"/>,
/// <see cref="StackOf{T}"/>, and their enumerators and key and value collections): the type each maps to, and each member call redirected to the substitute's member of the same
/// name and parameters. A member the substitute lacks is refused at the call, naming it and what is offered.
/// </summary>
public static class CollectionTypes
{
    static readonly Dictionary<Type, Type> Substitutes = new()
    {
        [typeof(List<>)] = typeof(ListOf<>),
        [typeof(List<>.Enumerator)] = typeof(ListOf<>.Enumerator),
        [typeof(Dictionary<,>)] = typeof(DictionaryOf<,>),
        [typeof(Dictionary<,>.Enumerator)] = typeof(DictionaryOf<,>.Enumerator),
        [typeof(Dictionary<,>.KeyCollection)] = typeof(DictionaryOf<,>.KeyCollection),
        [typeof(Dictionary<,>.KeyCollection.Enumerator)] = typeof(DictionaryOf<,>.KeyCollection.Enumerator),
        [typeof(Dictionary<,>.ValueCollection)] = typeof(DictionaryOf<,>.ValueCollection),
        [typeof(Dictionary<,>.ValueCollection.Enumerator)] = typeof(DictionaryOf<,>.ValueCollection.Enumerator),
        [typeof(HashSet<>)] = typeof(HashSetOf<>),
        [typeof(HashSet<>.Enumerator)] = typeof(HashSetOf<>.Enumerator),
        [typeof(Queue<>)] = typeof(QueueOf<>),
        [typeof(Queue<>.Enumerator)] = typeof(QueueOf<>.Enumerator),
        [typeof(Stack<>)] = typeof(StackOf<>),
        [typeof(Stack<>.Enumerator)] = typeof(StackOf<>.Enumerator),
    };

    /// <summary>The substitute of a closed collection type (or its enumerator), or null.</summary>
    public static Type? SubstituteOf(Type type) =>
        type is not null && type is { IsGenericType: true, ContainsGenericParameters: false } && Substitutes.TryGetValue(type.GetGenericTypeDefinition(), out Type? open)
            ? open.MakeGenericType(type.GetGenericArguments())
            : null;

    /// <summary>Whether <paramref name="type"/> is a substitute: a class compiled as a jit class, or its enumerator struct.</summary>
    public static bool IsSubstitute(Type type) =>
        type is not null && type is { IsGenericType: true } && Substitutes.ContainsValue(type.GetGenericTypeDefinition());

    /// <summary>Whether <paramref name="type"/> is a substitute or a type one declares for itself (a dictionary's entry struct).</summary>
    public static bool IsSubstituteOrPart(Type type) =>
        type is not null && (IsSubstitute(type) || type.DeclaringType is { } outer && IsSubstituteOrPart(outer));

    static readonly HashSet<string> Changing = ["Add", "TryAdd", "Enqueue", "Dequeue", "TryDequeue", "Push", "Pop", "TryPop", "UnionWith", "ExceptWith", "TrimExcess", "Insert", "RemoveAt", "Remove", "Clear", "Reverse", "Sort", "set_Item", "EnsureCapacity", "CollectionsMarshal_SetCount", "CollectionsMarshal_AsSpan"];

    /// <summary>Whether <paramref name="member"/> is a substitute's member that changes its collection.</summary>
    public static bool Changes(MethodInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.DeclaringType is { IsClass: true } owner && IsSubstitute(owner) && Changing.Contains(MemberName(member));
    }

    /// <summary>The name of the collection's member a substitute's member stands for (<c>TryDequeue_Out</c> is <c>TryDequeue</c>).</summary>
    public static string MemberName(MethodInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.Name.EndsWith("_Out", StringComparison.Ordinal) ? member.Name[..^"_Out".Length] : member.Name;
    }

    /// <summary>Whether values of <paramref name="type"/> are or hold references (.NET's own answer): what cannot cross to .NET inside a collection.</summary>
    public static bool HoldsReferences(Type type) =>
        (bool)typeof(System.Runtime.CompilerServices.RuntimeHelpers).GetMethod(nameof(System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences))!
            .MakeGenericMethod(type).Invoke(null, null)!;

    /// <summary>How C# writes <paramref name="type"/> where it is a collection (<c>List&lt;Int32&gt;</c>), else its name.</summary>
    public static string Describe(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return SubstituteOf(type) is { } substitute ? DotnetName(substitute) : type.Name;
    }

    /// <summary>How the user wrote the collection type a substitute stands for (<c>List&lt;Int32&gt;</c>).</summary>
    public static string DotnetName(Type substitute)
    {
        ArgumentNullException.ThrowIfNull(substitute);
        Type definition = substitute.GetGenericTypeDefinition();
        Type dotnet = Substitutes.First(s => s.Value == definition).Key;
        return Readable(dotnet.MakeGenericType(substitute.GetGenericArguments()));
    }

    /// <summary>The substitute's member that stands for <paramref name="member"/> of a collection type, or null for members of other types.</summary>
    /// <exception cref="CompilationException">The substitute has no such member (<paramref name="refuse"/> makes the exception).</exception>
    internal static MethodBase? Redirect(MethodBase member, Func<string, string, CompilationException> refuse)
    {
        if (member.DeclaringType == typeof(System.Runtime.InteropServices.CollectionsMarshal) && member.GetParameters() is [{ ParameterType: var first }, ..]
            && SubstituteOf(first) is { } marshalled)
        {
            // CollectionsMarshal.X(list, …) is the substitute's instance member CollectionsMarshal_X(…): the list is 'this'.
            Type[] rest = [.. member.GetParameters().Skip(1).Select(p => p.ParameterType)];
            return marshalled.GetMethod($"CollectionsMarshal_{member.Name}", BindingFlags.Public | BindingFlags.Instance, rest)
                ?? throw refuse($"CollectionsMarshal.{member.Name}", "compiled code offers CollectionsMarshal.SetCount and AsSpan of a list (what C# makes of a collection expression)");
        }
        if (member.DeclaringType == typeof(CollectionExtensions) && member.GetParameters() is [{ ParameterType: { IsGenericType: true } read }, ..]
            && read.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            // dictionary.GetValueOrDefault(key): the extension of the interface is the substitute's own member.
            Type dictionary = typeof(DictionaryOf<,>).MakeGenericType(read.GetGenericArguments());
            Type[] rest = [.. member.GetParameters().Skip(1).Select(p => p.ParameterType)];
            return dictionary.GetMethod($"CollectionExtensions_{member.Name}", BindingFlags.Public | BindingFlags.Instance, rest)
                ?? throw refuse($"CollectionExtensions.{member.Name}", "compiled code offers GetValueOrDefault of a dictionary");
        }
        if (member.DeclaringType == typeof(Enumerable) && member.Name == nameof(Enumerable.ToList) && member.GetParameters().Length == 1)
        {
            // [.. array] as a List<T>: C# calls ToList of the array.
            return typeof(ListOf<>).MakeGenericType(((MethodInfo)member).GetGenericArguments()).GetMethod(nameof(ListOf<int>.FromArray))!;
        }
        if (member.DeclaringType is not { } owner || SubstituteOf(owner) is not { } substitute)
            return null;
        // The substitute is closed over the same type arguments, so its parameters are the member's own (List<List<int>>.Add
        // takes a List<int>), but for a sequence, which it takes as an array (what compiled code has of IEnumerable<T>).
        Type[] parameters = [.. member.GetParameters().Select(p => p.ParameterType is { IsGenericType: true } sequence && sequence.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? sequence.GetGenericArguments()[0].MakeArrayType() : p.ParameterType)];
        const BindingFlags Members = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        MethodBase? found = member is ConstructorInfo
            ? substitute.GetConstructor(BindingFlags.Public | BindingFlags.Instance, parameters)
            : substitute.GetMethods(Members).FirstOrDefault(m => m.Name == member.Name && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters)
                && m.IsGenericMethodDefinition == ((MethodInfo)member).IsGenericMethodDefinition);
        return found ?? throw refuse($"{Readable(owner)}.{(member is ConstructorInfo ? "ctor" : member.Name)}({string.Join(", ", member.GetParameters().Select(p => p.ParameterType.Name))})",
            $"compiled code offers {Readable(owner)}'s {Offered(substitute)}");
    }

    /// <summary>The members a substitute offers, for a refusal and the docs.</summary>
    internal static string Offered(Type substitute) =>
        string.Join(", ", substitute.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m is ConstructorInfo or PropertyInfo || m is MethodInfo { IsSpecialName: false } method && !method.Name.Contains('_', StringComparison.Ordinal))
            .Select(m => m is ConstructorInfo c ? $"new({string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name))})" : m.Name)
            .Distinct());

    static string Readable(Type type) =>
        type.IsNested && type.DeclaringType is { } outer ? $"{Readable(outer.MakeGenericType(type.GetGenericArguments()))}.{type.Name}"
        : type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>"
        : type.Name;
}
