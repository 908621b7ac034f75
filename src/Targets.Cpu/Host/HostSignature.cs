using Targets.Frontend;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;

namespace Targets.Cpu.Host;

/// <summary>
/// What .NET passes and gets when it calls an entry: the function's parameters and result,
/// except that a constructor takes its arguments without <c>this</c> and returns the new instance
/// (its entry trampoline allocates it), and jit class instances cross as boxes (<see cref="JitObject"/>),
/// arrays of them, when returned, as <c>JitObject[]</c> of new boxes.
/// </summary>
public sealed record HostSignature(string Name, IReadOnlyList<IrType> Parameters, IrType Return)
{
    /// <summary>
    /// Why .NET cannot call this function, or null when it can: a parameter that is an array of
    /// jit class instances (.NET would have to build an NRT array of them and see the callee's
    /// writes to it; not done yet), a parameter or result that is a struct holding references (a span parameter
    /// excepted: the typed stub lends its memory), or a span of such structs or of instances.
    /// </summary>
    public string? Uncallable { get; init; }

    /// <summary>
    /// The .NET types .NET passes, one per parameter: <see cref="HostType(IrType, Type)"/> of each, so
    /// an enum parameter is passed as its enum (compiled code sees its underlying integer).
    /// </summary>
    public IReadOnlyList<Type> HostParameters { get; init; } = [];

    /// <summary>The .NET type the call returns (an enum's own type where the method declares one).</summary>
    public Type HostReturn { get; init; } = typeof(void);

    /// <summary>The signature of <paramref name="function"/> (stubs are shared by every signature of one shape: see HostStubGenerator).</summary>
    public static HostSignature Of(IrFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Known.GetValue(function, Make);
    }

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IrFunction, HostSignature> Known = new();

    static HostSignature Make(IrFunction function)
    {
        bool constructor = function.IsConstructor;
        HostSignature signature = constructor
            ? new(function.Name, WithoutThis(function.ParameterTypes), function.ParameterTypes[0])
            : new(function.Name, function.ParameterTypes, function.ReturnType);
        // The declared parameters are the IR's last ones (an instance method's 'this' comes first); an
        // entry that takes functions takes them from its wrapper, not from the host (see BoundEntry).
        System.Reflection.ParameterInfo[] declared = function.Method is { } method ? FunctionArguments.ValueParameters(method) : [];
        int first = function.ParameterTypes.Count - declared.Length;
        var hostParameters = new Type[signature.Parameters.Count];
        int firstHost = signature.Parameters.Count - declared.Length;
        for (int n = 0; n < hostParameters.Length; n++)
            hostParameters[n] = HostType(signature.Parameters[n], n >= firstHost ? declared[n - firstHost].ParameterType : null);
        Type? declaredReturn = constructor ? null : (function.Method as System.Reflection.MethodInfo)?.ReturnType;
        signature = signature with { HostParameters = hostParameters, HostReturn = HostType(signature.Return, declaredReturn) };
        for (int n = 0; n < function.ParameterTypes.Count; n++)
        {
            string parameter = n >= first ? declared[n - first].Name ?? $"#{n}" : $"#{n}";
            if (function.ParameterTypes[n].Aggregate is { IsSpan: true } span && span.Fields[0].Type.Element!.HoldsCounted)
                return signature with { Uncallable = $"{function.DisplayName}: parameter '{parameter}' is a span of {span.Fields[0].Type.Element}, which holds references: .NET's elements would have to be converted and counted; make the span in compiled code" };
            if (function.ParameterTypes[n].Aggregate is not { IsSpan: true } && StructWithReferences(function.ParameterTypes[n]) is { } held)
                return signature with { Uncallable = $"{function.DisplayName}: parameter '{parameter}' is a {function.ParameterTypes[n]}: {held}" };
            if (function.ParameterTypes[n] is { Kind: IrTypeKind.Array, Element: { Kind: IrTypeKind.Array, IsString: false } } jagged)
                return signature with { Uncallable = $"{function.DisplayName}: parameter '{parameter}' is a {jagged}: {JaggedRefusal}" };
            if (function.ParameterTypes[n] is { Kind: IrTypeKind.Array, Element.Kind: IrTypeKind.Instance } array)
            {
                return signature with
                {
                    Uncallable = $"{function.DisplayName}: parameter '{parameter}' is a {array}: " +
                        "arrays of jit class instances cannot cross from .NET to compiled code yet (they can be returned, as JitObject[]); " +
                        "make the array in compiled code, or pass a jit class instance that holds it",
                };
            }
        }
        if (StructWithReferences(signature.Return) is { } returned)
            return signature with { Uncallable = $"{function.DisplayName}: it returns a {signature.Return}: {returned}" };
        if (signature.Return is { Kind: IrTypeKind.Array, Element: { Kind: IrTypeKind.Array, IsString: false } })
            return signature with { Uncallable = $"{function.DisplayName}: it returns a {signature.Return}: {JaggedRefusal}" };
        return signature;
    }

    /// <summary>Why an array of arrays cannot cross: each row is an object on one side and a counted array on the other.</summary>
    const string JaggedRefusal = "arrays of arrays do not cross between .NET and compiled code (each row is a .NET object on one side and compiled code's " +
        "own counted array on the other); pass a two-dimensional array, or one flat array and its width, and make the rows in compiled code";

    /// <summary>
    /// Why a value of <paramref name="type"/> cannot cross between .NET and compiled code, or null:
    /// a struct that holds an array or a jit class instance (or an array of, or a ref to, one) would
    /// need each reference converted and counted on the way, which is not done; the text names the field.
    /// </summary>
    static string? StructWithReferences(IrType type)
    {
        if (type.StructWithReferences is not { } layout)
            return null;
        CountedLeaf leaf = layout.CountedLeaves[0];
        var path = new List<string>();
        AggregateLayout? outer = layout; // the struct each step of the path is a field of (none after the reference)
        foreach (int index in leaf.Path)
        {
            path.Add(outer!.Fields[index].Name);
            outer = outer.Fields[index].Type.Aggregate;
        }
        return $"struct {layout.Name}'s field {string.Join('.', path)} holds a {leaf.Type}, and structs that hold arrays or jit class instances cannot cross from .NET to compiled code or back; " +
            "pass the arrays and instances as parameters of their own and build the struct in compiled code";
    }

    /// <summary>The declared parameter types of <paramref name="method"/> (a loop: a cache hit's path loads no System.Linq).</summary>
    internal static Type[] ParameterTypes(System.Reflection.MethodBase method)
    {
        System.Reflection.ParameterInfo[] parameters = method.GetParameters();
        var types = new Type[parameters.Length];
        for (int n = 0; n < types.Length; n++)
            types[n] = parameters[n].ParameterType;
        return types;
    }

    /// <summary>A constructor's arguments: its parameters after <c>this</c> (a loop: a cache hit's path loads no System.Linq).</summary>
    static List<IrType> WithoutThis(IReadOnlyList<IrType> parameters)
    {
        var arguments = new List<IrType>(parameters.Count);
        for (int n = 1; n < parameters.Count; n++)
            arguments.Add(parameters[n]);
        return arguments;
    }

    /// <summary>
    /// The .NET type a value of <paramref name="type"/> has on the host side when the method declares it
    /// as <paramref name="declared"/>: the declared type where it is an enum (or an array of one, or a ref
    /// to one), whose values the IR holds as the underlying integer; else <see cref="HostType(IrType)"/>.
    /// </summary>
    public static Type HostType(IrType type, Type? declared)
    {
        if (type.Aggregate is { IsSpan: true } && declared is not null)
            return declared; // Span<T> or ReadOnlySpan<T>: the stub pins its memory and builds the view
        Type? inner = declared;
        while (inner is { HasElementType: true })
            inner = inner.GetElementType();
        return inner is { IsEnum: true } ? declared! : HostType(type);
    }

    /// <summary>The .NET type a value of <paramref name="type"/> has on the host side.</summary>
    public static Type HostType(IrType type) => type is { Kind: IrTypeKind.Instance } or { Kind: IrTypeKind.Array, Element.Kind: IrTypeKind.Instance }
        ? BoxType(type)
        : TypeMapper.ToClr(type);

    /// <summary>
    /// A method of its own, not inlined: precompiled code loads every type a method names before
    /// the method first runs, and <see cref="JitObject"/> is a <c>DynamicObject</c>, whose loading
    /// loads System.Linq.Expressions — a few milliseconds of a fresh process's first call that a
    /// signature without jit classes does not need.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static Type BoxType(IrType type) => type.Kind == IrTypeKind.Instance
        ? typeof(JitObject)
        : type.Rank == 1 ? typeof(JitObject[]) : typeof(JitObject).MakeArrayType(type.Rank);
}
