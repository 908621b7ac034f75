using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>Finds a substitute in a table class: a generic method of one type parameter, by name, closed over an element type.</summary>
internal static class SubstituteTable
{
    /// <summary>
    /// The method <paramref name="name"/> of <paramref name="table"/> closed over <paramref name="element"/> whose
    /// parameters are <paramref name="wanted"/>, or null (also when the element does not meet the method's
    /// constraint: Sort of floats).
    /// </summary>
    public static MethodInfo? Closed(Type table, string name, Type element, Type[] wanted)
    {
        foreach (MethodInfo candidate in table.GetMethods(BindingFlags.Static | BindingFlags.NonPublic))
        {
            if (candidate.Name != name || candidate.GetGenericArguments().Length != 1 || candidate.GetParameters().Length != wanted.Length)
                continue;
            MethodInfo closed;
            try
            {
                closed = candidate.MakeGenericMethod(element);
            }
            catch (ArgumentException)
            {
                continue;
            }
            if (closed.GetParameters().Select(p => p.ParameterType).SequenceEqual(wanted))
                return closed;
        }
        return null;
    }
}
