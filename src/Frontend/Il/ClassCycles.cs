using System.Reflection;
using System.Runtime.CompilerServices;

namespace Targets.Frontend.Il;

/// <summary>
/// Which jit classes' instances can be part of a reference cycle: a class whose instance fields (its bases' and
/// those inside struct fields included) can hold an instance of a concrete jit class from which, field by field,
/// an instance of the class itself can be reached again. Only such classes are tracked by the cycle collector;
/// the others never are (an acyclic structure costs nothing extra). The graph's edges are instance fields whose
/// type is a jit class or an interface jit classes implement, to every concrete class assignable to it (found as
/// <see cref="ClassHierarchy.ConcreteClasses"/> finds them); arrays are not followed, since the collector does not
/// look inside them (a cycle through an array is left to leak, as every cycle did before). Missing an edge can
/// only leave a cycle uncollected, never free a live instance: the collector counts what it cannot see as
/// references from outside.
/// </summary>
public static class ClassCycles
{
    static readonly ConditionalWeakTable<Type, StrongBox<bool>> Known = new();

    /// <summary>Whether an instance of the concrete jit class <paramref name="type"/> can reach itself through instance fields.</summary>
    public static bool IsCyclic(Type type, TypeContext types)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(types);
        return Known.GetValue(type, t => new StrongBox<bool>(Reaches(t, t, types))).Value;
    }

    /// <summary>Whether an instance of <paramref name="from"/> can reach one of <paramref name="target"/> (a depth-first search of the class graph).</summary>
    static bool Reaches(Type from, Type target, TypeContext types)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([from]);
        while (pending.TryPop(out Type? current))
        {
            foreach (Type next in Successors(current, types))
            {
                if (next == target)
                    return true;
                if (seen.Add(next))
                    pending.Push(next);
            }
        }
        return false;
    }

    /// <summary>The concrete jit classes an instance of <paramref name="type"/> can hold in its fields.</summary>
    static IEnumerable<Type> Successors(Type type, TypeContext types)
    {
        var held = new HashSet<Type>();
        FieldTypes(type, held, []);
        return held.SelectMany(t => ClassHierarchy.ConcreteClasses(t, types)).Distinct();
    }

    /// <summary>Adds the class and interface types of <paramref name="type"/>'s instance fields (through its bases and struct fields) to <paramref name="held"/>.</summary>
    static void FieldTypes(Type type, HashSet<Type> held, HashSet<Type> structs)
    {
        for (Type? t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Type fieldType = field.FieldType;
                if (fieldType.IsArray || fieldType.IsPointer || fieldType.IsByRef || fieldType.IsPrimitive || fieldType.IsEnum)
                    continue;
                if (fieldType.IsValueType)
                {
                    if (structs.Add(fieldType))
                        FieldTypes(fieldType, held, structs);
                }
                else
                    held.Add(fieldType);
            }
        }
    }
}
