using System.Reflection;

namespace Targets.Cpu.Host;

/// <summary>
/// Picks the constructor or method .NET arguments call, the way C# would: each argument must be
/// the parameter's type, a box of the parameter's jit class, null for a reference, or a number C#
/// converts implicitly (<see cref="ImplicitConversion"/>); of the applicable candidates, one that is
/// no worse for any argument and better for one wins. Returns the arguments converted.
/// </summary>
public static class HostOverloads
{
    public static (T Chosen, object?[] Arguments) Choose<T>(IReadOnlyList<T> candidates, object?[] args, string describe) where T : MethodBase
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(args);
        List<T> applicable = candidates.Where(c => c.GetParameters().Length == args.Length
            && c.GetParameters().Zip(args).All(p => Applicable(p.First.ParameterType, p.Second))).ToList();
        if (applicable.Count == 0)
            throw new ArgumentException(NotApplicable(candidates, args, describe), nameof(args));
        List<T> best = applicable.Where(c => applicable.All(other => other == c || !Worse(c, other, args))).ToList();
        if (best.Count != 1)
            throw new ArgumentException($"The call {describe}({Types(args)}) is ambiguous between {string.Join(" and ", applicable.Select(Signature))}: cast the arguments.", nameof(args));
        T chosen = best[0];
        ParameterInfo[] parameters = chosen.GetParameters();
        object?[] converted = args.Select((a, n) => a is null or JitObject ? a : ImplicitConversion.Convert(a, parameters[n].ParameterType)).ToArray();
        return (chosen, converted);
    }

    static bool Applicable(Type parameter, object? arg) => arg switch
    {
        null => !parameter.IsValueType,
        JitObject box => parameter.IsAssignableFrom(box.Type.ClrType),
        _ => parameter.IsInstanceOfType(arg) && (!parameter.IsArray || arg.GetType() == parameter) || ImplicitConversion.Exists(arg.GetType(), parameter),
    };

    /// <summary>Whether <paramref name="c"/> loses to <paramref name="other"/>: worse for some argument and better for none.</summary>
    static bool Worse(MethodBase c, MethodBase other, object?[] args)
    {
        bool worse = false, better = false;
        ParameterInfo[] mine = c.GetParameters(), theirs = other.GetParameters();
        for (int n = 0; n < args.Length; n++)
        {
            if (args[n] is null or JitObject)
                continue;
            Type from = args[n]!.GetType(), a = mine[n].ParameterType, b = theirs[n].ParameterType;
            bool aExact = a == from, bExact = b == from;
            if (aExact != bExact)
            {
                better |= aExact;
                worse |= bExact;
            }
            else if (!aExact)
            {
                better |= ImplicitConversion.Better(a, b);
                worse |= ImplicitConversion.Better(b, a);
            }
        }
        return worse && !better;
    }

    static string NotApplicable<T>(IReadOnlyList<T> candidates, object?[] args, string describe) where T : MethodBase
    {
        List<T> sameArity = candidates.Where(c => c.GetParameters().Length == args.Length).ToList();
        if (sameArity.Count == 1)
        {
            ParameterInfo[] parameters = sameArity[0].GetParameters();
            for (int n = 0; n < args.Length; n++)
            {
                if (!Applicable(parameters[n].ParameterType, args[n]))
                    return $"{describe}: argument '{parameters[n].Name}' must be {Describe(parameters[n].ParameterType)}; got {(args[n] is JitObject box ? "a box of " + box.Type.Name : args[n]?.GetType().Name ?? "null")}"
                        + (args[n] is { } v && !v.GetType().IsArray && v is not JitObject ? $", which does not convert implicitly to {parameters[n].ParameterType.Name} (cast it first)." : ".");
            }
        }
        return $"{describe} has no public overload taking ({Types(args)}); it has {string.Join(", ", candidates.Select(Signature))}.";
    }

    static string Describe(Type type) => type.IsValueType || type.IsArray ? type.Name : $"a JitObject of {type.Name} (or null)";

    static string Types(object?[] args) => string.Join(", ", args.Select(a => a is JitObject box ? box.Type.Name : a?.GetType().Name ?? "null"));

    static string Signature(MethodBase m) => $"({string.Join(", ", m.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}"))})";
}
