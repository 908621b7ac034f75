using System.Reflection;
using System.Runtime.CompilerServices;

namespace Targets.Frontend.Il;

/// <summary>
/// The classes a virtual call on a jit-class instance may meet: the concrete jit classes assignable to the
/// receiver's static type (a class, or an interface), found in that type's assembly and in the loaded assemblies
/// that reference it, in a fixed order; and the method each one runs for a virtual or interface method. A class
/// loaded after a call was compiled is not among them: the call's dispatch raises for it (see VirtualDispatch).
/// </summary>
public static class ClassHierarchy
{
    /// <summary>The classes found for a type, and how many assemblies were loaded then; weak in the type, so a collectible context's classes stay collectible.</summary>
    sealed record Found(int Loaded, Type[] Classes);

    static readonly ConditionalWeakTable<Type, Found> Known = new();

    /// <summary>An interface of the user's (not .NET's): a value of it in compiled code is a jit-class instance that implements it.</summary>
    public static bool IsUserInterface(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsInterface && !IlImporter.IsFrameworkAssembly(type.Assembly);
    }

    /// <summary>The concrete jit classes whose instances a value of <paramref name="type"/> may hold.</summary>
    public static IReadOnlyList<Type> ConcreteClasses(Type type, TypeContext types)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(types);
        Assembly[] loaded = AppDomain.CurrentDomain.GetAssemblies();
        if (Known.TryGetValue(type, out Found? found) && found.Loaded == loaded.Length)
            return found.Classes;
        found = new Found(loaded.Length, Find(type, loaded, types));
        Known.AddOrUpdate(type, found);
        return found.Classes;
    }

    static Type[] Find(Type type, Assembly[] loaded, TypeContext types)
    {
        string? home = type.Assembly.GetName().Name;
        var found = new List<Type>();
        foreach (Assembly assembly in loaded)
        {
            // Jit classes are the user's: .NET's own assemblies hold none (and an interface of .NET's is referenced by all).
            if (IlImporter.IsFrameworkAssembly(assembly) || assembly != type.Assembly && !assembly.GetReferencedAssemblies().Any(r => r.Name == home))
                continue;
            Type?[] all;
            try
            {
                all = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                all = e.Types; // the types that did load
            }
            foreach (Type? t in all)
            {
                if (t is { IsAbstract: false, IsInterface: false, ContainsGenericParameters: false } && type.IsAssignableFrom(t) && types.IsJitClass(t))
                    found.Add(t);
            }
        }
        return [.. found.OrderBy(t => t.FullName, StringComparer.Ordinal)];
    }

    /// <summary>The method an instance of <paramref name="concrete"/> runs for <paramref name="declared"/> (a virtual method of a base, or an interface's).</summary>
    public static MethodInfo Implementation(Type concrete, MethodInfo declared)
    {
        ArgumentNullException.ThrowIfNull(concrete);
        ArgumentNullException.ThrowIfNull(declared);
        if (declared.DeclaringType is { IsInterface: true } contract)
        {
            InterfaceMapping map = concrete.GetInterfaceMap(contract);
            return map.TargetMethods[Array.FindIndex(map.InterfaceMethods, m => SameMethod(m, declared))];
        }
        MethodInfo root = declared.GetBaseDefinition();
        for (Type? t = concrete; t is not null; t = t.BaseType)
        {
            foreach (MethodInfo m in t.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            {
                if (!m.IsAbstract && SameMethod(m.GetBaseDefinition(), root))
                    return m;
            }
        }
        throw new InvalidOperationException($"{concrete.Name} has no implementation of {declared.DeclaringType?.Name}.{declared.Name}");
    }

    static bool SameMethod(MethodInfo a, MethodInfo b) =>
        a.MetadataToken == b.MetadataToken && a.Module == b.Module && a.DeclaringType == b.DeclaringType;
}
