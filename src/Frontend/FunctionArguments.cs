using System.Collections.Concurrent;
using System.Reflection;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;

namespace Targets.Frontend;

/// <summary>
/// The methods the host passes to an entry's delegate and function-pointer parameters: compiled
/// code is specialised on them (as a call from compiled code specialises its callee), so an entry
/// that takes functions is compiled once per set of methods passed, behind a wrapper
/// (<see cref="BoundEntry"/>) that takes the other parameters only. Guarantees: a set is accepted only
/// when compiled code can run each method as the host would — a static method, or a lambda that
/// captures nothing, one method per delegate; anything else is an <see cref="ArgumentException"/>
/// saying what is accepted. Two sets are equal when they pass the same methods at the same places.
/// </summary>
public sealed class FunctionArguments : IEquatable<FunctionArguments>
{
    FunctionArguments(MethodInfo[] methods) => Methods = methods;

    /// <summary>One method per parameter of function type, in the order of the parameters.</summary>
    public IReadOnlyList<MethodInfo> Methods { get; }

    /// <summary>Whether <paramref name="method"/> has a delegate or function-pointer parameter (then it is compiled per set of functions passed).</summary>
    public static bool Takes(MethodBase method)
    {
        ArgumentNullException.ThrowIfNull(method);
        foreach (ParameterInfo p in method.GetParameters())
        {
            if (IlImporter.IsFunctionType(p.ParameterType))
                return true;
        }
        return false;
    }

    /// <summary>Whether a value of <paramref name="type"/> is a function: a delegate or a function pointer.</summary>
    public static bool IsFunction(Type type) => IlImporter.IsFunctionType(type ?? throw new ArgumentNullException(nameof(type)));

    /// <summary>The parameters of <paramref name="method"/> that are not functions: what its compiled code (behind the wrapper) takes from the host.</summary>
    public static ParameterInfo[] ValueParameters(MethodBase method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Array.FindAll(method.GetParameters(), p => !IlImporter.IsFunctionType(p.ParameterType));
    }

    /// <summary>
    /// Splits <paramref name="args"/>, the arguments for <paramref name="method"/>'s parameters from the
    /// <paramref name="skip"/>th on (a kernel's after its index), into the functions passed and the others.
    /// </summary>
    /// <exception cref="ArgumentException">A function argument that compiled code cannot run, or too few arguments.</exception>
    public static (FunctionArguments Functions, object?[] Values) Split(MethodBase method, object?[] args, int skip = 0)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(args);
        ParameterInfo[] parameters = method.GetParameters();
        if (args.Length != parameters.Length - skip)
            throw new ArgumentException($"{Describe(method)} takes {parameters.Length - skip} argument(s){(skip > 0 ? " after its index" : "")}, got {args.Length}.", nameof(args));
        var methods = new List<MethodInfo>();
        var values = new List<object?>();
        for (int n = skip; n < parameters.Length; n++)
        {
            if (IlImporter.IsFunctionType(parameters[n].ParameterType))
                methods.Add(MethodOf(args[n - skip], parameters[n], method, nameof(args)));
            else
                values.Add(args[n - skip]);
        }
        return (new FunctionArguments([.. methods]), [.. values]);
    }

    /// <summary>The functions <paramref name="functions"/> passes to <paramref name="method"/>'s delegate and function-pointer parameters, in order.</summary>
    /// <exception cref="ArgumentException">A function that compiled code cannot run.</exception>
    public static FunctionArguments Of(MethodBase method, object?[] functions)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(functions);
        ParameterInfo[] parameters = Array.FindAll(method.GetParameters(), p => IlImporter.IsFunctionType(p.ParameterType));
        if (functions.Length != parameters.Length)
            throw new ArgumentException($"{Describe(method)} takes {parameters.Length} function(s) ({string.Join(", ", parameters.Select(p => $"{p.ParameterType.Name} {p.Name}"))}), got {functions.Length}: "
                + "pass one method per delegate or function-pointer parameter, in order.", nameof(functions));
        var methods = new MethodInfo[parameters.Length];
        for (int n = 0; n < methods.Length; n++)
            methods[n] = MethodOf(functions[n], parameters[n], method, nameof(functions));
        return new FunctionArguments(methods);
    }

    /// <summary>
    /// The function values compiled code gives <paramref name="method"/>'s parameters (null for the
    /// others), as <see cref="IlImporter.Import"/> specialises a method.
    /// </summary>
    internal IrType?[] Types(MethodBase method, TypeContext types)
    {
        ParameterInfo[] parameters = method.GetParameters();
        var functions = new IrType?[parameters.Length];
        int next = 0;
        foreach (ParameterInfo p in parameters)
        {
            if (IlImporter.IsFunctionType(p.ParameterType))
                functions[p.Position] = types.FunctionOf(Methods[next++]);
        }
        return functions;
    }

    /// <summary>The method <paramref name="argument"/> runs, checked against the parameter it is passed to.</summary>
    static MethodInfo MethodOf(object? argument, ParameterInfo parameter, MethodBase owner, string argumentName)
    {
        string what = $"{Describe(owner)}: argument '{parameter.Name}'";
        const string Accepted = "compiled code takes a static method or a lambda that captures nothing";
        if (parameter.ParameterType.IsFunctionPointer)
        {
            if (argument is not nint pointer)
                throw new ArgumentException($"{what} is a function pointer: pass it as an IntPtr ((nint)&Method), got {(argument is null ? "null" : argument.GetType().Name)}.", argumentName);
            return PointedTo(pointer, parameter.ParameterType, owner.Module.Assembly)
                ?? throw new ArgumentException($"{what}: 0x{pointer:x} is not the address of a static method of {owner.Module.Assembly.GetName().Name} with the signature of {parameter.ParameterType}; "
                    + "function pointers from the host are &Method of a static method in the entry's assembly.", argumentName);
        }
        if (argument is not Delegate function || !parameter.ParameterType.IsInstanceOfType(argument))
            throw new ArgumentException($"{what} must be a {parameter.ParameterType.Name}, got {(argument is null ? "null" : argument.GetType().Name)}; {Accepted}.", argumentName);
        if (function.HasSingleTarget is false)
            throw new ArgumentException($"{what} combines several methods (a multicast delegate); {Accepted}, one per delegate.", argumentName);
        MethodInfo method = function.Method;
        if (method.GetType().FullName == "System.Reflection.Emit.DynamicMethod+RTDynamicMethod" || method is System.Reflection.Emit.DynamicMethod)
            throw new ArgumentException($"{what} runs a dynamic method (or a compiled expression tree), which has no IL to compile; {Accepted}.", argumentName);
        if (method.IsStatic || IlImporter.IsStaticLambda(method))
            return method;
        if (method.DeclaringType is { } closure && TypeContext.IsClosure(closure))
        {
            string captured = string.Join(", ", closure.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name));
            throw new ArgumentException($"{what} is a lambda that captures variables ({captured}); {Accepted}: pass the captured values as parameters, "
                + "or make the lambda inside the compiled method (there it may capture).", argumentName);
        }
        throw new ArgumentException($"{what} is bound to an instance of {method.DeclaringType?.Name} ({method.Name}); {Accepted}.", argumentName);
    }

    /// <summary>The static methods of each assembly by their addresses (what <c>&amp;Method</c> gives), made when a function pointer is first passed.</summary>
    static readonly ConcurrentDictionary<Assembly, Lazy<Dictionary<nint, MethodInfo>>> Addresses = new();

    /// <summary>The static method of <paramref name="assembly"/> at <paramref name="pointer"/> whose signature is <paramref name="type"/>'s, or null.</summary>
    static MethodInfo? PointedTo(nint pointer, Type type, Assembly assembly)
    {
        Dictionary<nint, MethodInfo> known = Addresses.GetOrAdd(assembly, a => new Lazy<Dictionary<nint, MethodInfo>>(() => AddressesOf(a))).Value;
        if (!known.TryGetValue(pointer, out MethodInfo? method))
            return null;
        Type[] parameters = type.GetFunctionPointerParameterTypes();
        bool same = method.ReturnType == type.GetFunctionPointerReturnType().UnderlyingSystemType
            && method.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters.Select(p => p.UnderlyingSystemType));
        return same ? method : null;
    }

    static Dictionary<nint, MethodInfo> AddressesOf(Assembly assembly)
    {
        var addresses = new Dictionary<nint, MethodInfo>();
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = [.. e.Types.OfType<Type>()];
        }
        foreach (Type type in types)
        {
            if (type.ContainsGenericParameters)
                continue;
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!method.ContainsGenericParameters && method.GetMethodBody() is not null)
                    addresses.TryAdd(method.MethodHandle.GetFunctionPointer(), method);
            }
        }
        return addresses;
    }

    /// <summary>A text naming the methods, for cache keys and symbols: equal sets, equal texts.</summary>
    public string Key => string.Join(",", Methods.Select(m => $"{m.Module.ModuleVersionId:N}:{m.MetadataToken:x}:{string.Join("/", m.DeclaringType?.GetGenericArguments().Select(t => t.AssemblyQualifiedName) ?? [])}:{string.Join("/", m.IsGenericMethod ? m.GetGenericArguments().Select(t => t.AssemblyQualifiedName) : [])}"));

    public bool Equals(FunctionArguments? other) => other is not null && Methods.SequenceEqual(other.Methods);

    public override bool Equals(object? obj) => Equals(obj as FunctionArguments);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (MethodInfo method in Methods)
            hash.Add(method);
        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", Methods.Select(m => $"{m.DeclaringType?.Name}.{m.Name}"));

    static string Describe(MethodBase method) => $"{method.DeclaringType?.Name}.{method.Name}";
}
