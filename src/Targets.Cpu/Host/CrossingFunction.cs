using System.Linq.Expressions;
using System.Reflection;

namespace Targets.Cpu.Host;

/// <summary>
/// A compiled method that takes or returns collections (<c>List&lt;T&gt;</c>, <c>Dictionary&lt;TKey, TValue&gt;</c>,
/// <c>HashSet&lt;T&gt;</c>, <c>Queue&lt;T&gt;</c>, <c>Stack&lt;T&gt;</c>), called as .NET calls it (<see cref="CollectionCrossing"/>):
/// each collection passed is copied into a new compiled container before the call, and what the call left there is
/// copied back into the caller's object after it, whether the call returned or threw (a .NET method may change the
/// collection it is passed, and its changes before a throw stay). A collection returned arrives as a new .NET object
/// with the same contents in the same order, or as the caller's own object where compiled code returns a container it
/// was passed. Every container made for a call is released after it, so NRT balances call by call. The cost is a copy
/// of each collection in and out per call: docs/collections.md says so.
/// </summary>
internal sealed class CrossingFunction : CompiledFunction
{
    readonly CompiledFunction inner;
    readonly HostTarget target;
    readonly CollectionCrossing?[] parameters;
    readonly CollectionCrossing? returned;
    readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Delegate> delegates = new();

    /// <param name="inner">The code compiled for the method, which takes and returns its collections as boxes of compiled containers.</param>
    /// <param name="target">The target whose containers the collections are copied into.</param>
    public CrossingFunction(CompiledFunction inner, HostTarget target)
        : base((inner ?? throw new ArgumentNullException(nameof(inner))).Method)
    {
        this.inner = inner;
        this.target = target;
        IEnumerable<Type> declared = Method.GetParameters().Select(p => p.ParameterType);
        parameters = [.. (Method.IsStatic ? declared : declared.Prepend(typeof(JitObject))).Select(CollectionCrossing.For)];
        returned = CollectionCrossing.For(Method.ReturnType);
    }

    /// <summary>
    /// Whether .NET's calls of <paramref name="method"/> need a crossing: it takes or returns a collection. A loop, not
    /// LINQ: every Compile asks, a cache hit's included, and that path loads no System.Linq.
    /// </summary>
    public static bool Needed(MethodInfo method)
    {
        if (Frontend.Il.Collections.CollectionTypes.SubstituteOf(method.ReturnType) is not null)
            return true;
        foreach (ParameterInfo parameter in method.GetParameters())
        {
            if (Frontend.Il.Collections.CollectionTypes.SubstituteOf(parameter.ParameterType) is not null)
                return true;
        }
        return false;
    }

    public override object? Invoke(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != parameters.Length)
            return inner.Invoke(args); // the inner code says how many it takes
        var boxes = new JitObject?[args.Length];
        object?[] passed = [.. args];
        try
        {
            for (int n = 0; n < args.Length; n++)
            {
                if (parameters[n] is not { } crossing || args[n] is null)
                    continue;
                if (args[n]!.GetType() != crossing.Declared)
                    throw new ArgumentException($"{Describe()}: argument {n} must be a {Frontend.Il.Collections.CollectionTypes.Describe(crossing.Declared)}, got {Frontend.Il.Collections.CollectionTypes.Describe(args[n]!.GetType())}.", nameof(args));
                if (crossing.Refusal(args[n]!) is { } refusal)
                    throw new ArgumentException($"{Describe()}: argument {n} cannot cross to compiled code: {refusal}.", nameof(args));
                boxes[n] = crossing.In(target, args[n]!);
                passed[n] = boxes[n];
            }
            object? result = inner.Invoke(passed);
            if (returned is null || result is not JitObject made)
                return result;
            using (made)
            {
                int own = Array.FindIndex(boxes, b => b is not null && b.MemInfo == made.MemInfo);
                return own >= 0 ? args[own] : returned.Out(made);
            }
        }
        finally
        {
            for (int n = 0; n < boxes.Length; n++)
            {
                if (boxes[n] is not { } box)
                    continue;
                using (box)
                    parameters[n]!.Refill(box, args[n]!);
            }
        }
    }

    /// <summary>
    /// A delegate that calls through <see cref="Invoke"/> (the copies cost more than the boxing): its parameters must be the
    /// method's own (jit class instances as <see cref="JitObject"/>, the instance first for an instance method), its result the method's.
    /// </summary>
    public override TDelegate AsDelegate<TDelegate>() => (TDelegate)delegates.GetOrAdd(typeof(TDelegate), type =>
    {
        MethodInfo invoke = type.IsAbstract || type.GetMethod("Invoke") is not { } found
            ? throw new ArgumentException($"Expected a concrete delegate type with the signature of {Describe()}, got {type.Name}.", nameof(TDelegate))
            : found;
        IEnumerable<Type> declared = Method.GetParameters().Select(p => p.ParameterType);
        Type[] expected = [.. (Method.IsStatic ? declared : declared.Prepend(Method.DeclaringType!)).Select(HostType)];
        Type[] actual = [.. invoke.GetParameters().Select(p => p.ParameterType)];
        if (!expected.AsSpan().SequenceEqual(actual) || invoke.ReturnType != HostType(Method.ReturnType))
            throw new ArgumentException(
                $"Expected a delegate type with the signature {HostType(Method.ReturnType).Name}({string.Join(", ", expected.Select(t => t.Name))}) of {Describe()}, got {type.Name}: {invoke.ReturnType.Name}({string.Join(", ", actual.Select(t => t.Name))}).",
                nameof(TDelegate));
        ParameterExpression[] arguments = [.. actual.Select(Expression.Parameter)];
        Expression call = Expression.Call(Expression.Constant(this), typeof(CrossingFunction).GetMethod(nameof(Invoke))!,
            Expression.NewArrayInit(typeof(object), arguments.Select(a => Expression.Convert(a, typeof(object)))));
        Expression body = invoke.ReturnType == typeof(void) ? call : Expression.Convert(call, invoke.ReturnType);
        return Expression.Lambda(type, body, arguments).Compile();
    });

    public override CompileTimings Timings => inner.Timings;

    public override string Inspect(Stage stage) => inner.Inspect(stage);

    protected override void Dispose(bool disposing)
    {
        inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>What .NET passes for a parameter declared <paramref name="type"/>: a box for a jit class instance, else the type itself.</summary>
    static Type HostType(Type type) => LayoutContext.IsJitClassType(type) ? typeof(JitObject) : type;

    string Describe() => $"{Method.DeclaringType?.Name}.{Method.Name}";
}
