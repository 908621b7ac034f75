using System.Reflection;

namespace Targets.Testing;

/// <summary>Finds the corpus methods by reflection: every public static method of the public classes in namespace <c>Corpus</c>.</summary>
public static class CorpusCatalog
{
    public const string Namespace = "Corpus";

    /// <summary>All corpus methods, helpers included, keyed "Class.Method".</summary>
    public static IEnumerable<MethodInfo> AllMethods(Assembly corpus) =>
        corpus.GetTypes()
            .Where(t => t.IsPublic && t.Namespace == Namespace && t.IsAbstract && t.IsSealed) // static classes
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName)
                .OrderBy(m => m.Name, StringComparer.Ordinal));

    /// <summary>Methods marked <c>[Helper]</c>: called from entries, never compared on their own.</summary>
    public static bool IsHelper(MethodInfo m) => m.GetCustomAttributes().Any(a => a.GetType().Name == "HelperAttribute");

    /// <summary>The methods the differential theory runs.</summary>
    public static IEnumerable<MethodInfo> Entries(Assembly corpus) => AllMethods(corpus).Where(m => !IsHelper(m));

    public static string Key(MethodInfo m) => $"{m.DeclaringType!.Name}.{m.Name}";

    public static MethodInfo Find(Assembly corpus, string key) =>
        AllMethods(corpus).Single(m => Key(m) == key);
}
