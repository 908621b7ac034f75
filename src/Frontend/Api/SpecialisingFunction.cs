using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using Targets.Frontend;

namespace Targets;

/// <summary>
/// A method that takes delegates or function pointers, compiled once per set of methods passed to them
/// (<see cref="FunctionArguments"/>), as a call from compiled code specialises its callee: each set gets
/// code in which the functions are known, so their calls are direct and inlined. A call checks the
/// functions it passes (a static method or a lambda that captures nothing; anything else is an
/// <see cref="ArgumentException"/> saying so), finds or compiles their code, and calls it with the
/// other arguments. A delegate from <see cref="AsDelegate{TDelegate}"/> remembers the functions of its
/// last call, so calling it again with the same delegate objects costs a comparison of references.
/// </summary>
public sealed class SpecialisingFunction : CompiledFunction
{
    readonly Func<FunctionArguments, CompiledFunction> compile;
    readonly ConcurrentDictionary<FunctionArguments, Lazy<CompiledFunction>> compiled = new();
    readonly ConcurrentDictionary<(FunctionArguments, Type), Delegate> typed = new();
    readonly Action? forget;
    CompiledFunction? latest;
    volatile bool disposed;

    /// <param name="method">The method, which takes at least one delegate or function pointer.</param>
    /// <param name="compile">Compiles it for one set of functions: what the target compiles with <see cref="FrontendCompiler"/>'s <c>functions</c>.</param>
    /// <param name="disposed">Called once when this is disposed (a target forgets it then, so the next Compile makes a new one).</param>
    public SpecialisingFunction(MethodInfo method, Func<FunctionArguments, CompiledFunction> compile, Action? disposed = null)
        : base(method)
    {
        this.compile = compile ?? throw new ArgumentNullException(nameof(compile));
        forget = disposed;
        if (!FunctionArguments.Takes(method))
            throw new ArgumentException($"{Describe()} takes no delegate or function pointer: compile it as it is.", nameof(method));
    }

    /// <summary>The code compiled for <paramref name="functions"/> (compiled now on first use; a failure is not kept).</summary>
    public CompiledFunction For(FunctionArguments functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ObjectDisposedException.ThrowIf(disposed, this);
        Lazy<CompiledFunction> entry = compiled.GetOrAdd(functions, f => new Lazy<CompiledFunction>(() => compile(f), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            latest = entry.Value;
            return entry.Value;
        }
        catch
        {
            compiled.TryRemove(new KeyValuePair<FunctionArguments, Lazy<CompiledFunction>>(functions, entry));
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>A function pointer is passed as an <see cref="IntPtr"/> (<c>(nint)&amp;Method</c>).</remarks>
    public override object? Invoke(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(disposed, this);
        int leading = Method.IsStatic ? 0 : 1; // an instance method's receiver comes first
        if (args.Length < leading)
            throw new ArgumentException($"{Describe()} takes its instance first, then its arguments; got none.", nameof(args));
        (FunctionArguments functions, object?[] values) = FunctionArguments.Split(Method, args[leading..]);
        return For(functions).Invoke([.. args[..leading], .. values]);
    }

    public override TDelegate AsDelegate<TDelegate>()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        MethodInfo invoke = typeof(TDelegate).IsAbstract || typeof(TDelegate).GetMethod("Invoke") is not { } found
            ? throw new ArgumentException($"Expected a concrete delegate type with the signature of {Describe()}, got {typeof(TDelegate).Name}.", nameof(TDelegate))
            : found;
        // An instance method's receiver comes first; the specialisation's delegate checks its type.
        int leading = Method.IsStatic ? 0 : 1;
        Type[] expected = [.. Method.GetParameters().Select(p => p.ParameterType)];
        Type[] actual = [.. invoke.GetParameters().Select(p => p.ParameterType)];
        if (actual.Length != expected.Length + leading || !expected.AsSpan().SequenceEqual(actual.AsSpan(leading)))
            throw new ArgumentException($"Expected a delegate type taking ({string.Join(", ", expected.Select(t => t.Name))}) for {Describe()}, got {typeof(TDelegate).Name}: ({string.Join(", ", actual.Select(t => t.Name))}).", nameof(TDelegate));
        return (TDelegate)Forwarder(typeof(TDelegate), invoke, actual);
    }

    /// <summary>
    /// A delegate of <paramref name="type"/> that hands its function arguments to <see cref="Typed"/> and calls what it
    /// returns — the specialisation's own delegate, of the signature without them — with the others (IL: a
    /// function pointer argument is boxed as an <see cref="IntPtr"/>; expression trees take no pointers).
    /// </summary>
    Delegate Forwarder(Type type, MethodInfo invoke, Type[] parameters)
    {
        bool[] function = [.. parameters.Select(FunctionArguments.IsFunction)];
        Type[] values = [.. parameters.Where((_, n) => !function[n])];
        Type inner = System.Linq.Expressions.Expression.GetDelegateType([.. values, invoke.ReturnType]);
        var forward = new DynamicMethod($"{Method.Name}.specialised", invoke.ReturnType, [typeof(SpecialisingFunction), .. parameters], typeof(SpecialisingFunction).Module, skipVisibility: true);
        ILGenerator il = forward.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, function.Count(f => f));
        il.Emit(OpCodes.Newarr, typeof(object));
        for (int n = 0, slot = 0; n < parameters.Length; n++)
        {
            if (!function[n])
                continue;
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, slot++);
            il.Emit(OpCodes.Ldarg, n + 1);
            if (parameters[n].IsFunctionPointer)
                il.Emit(OpCodes.Box, typeof(nint));
            il.Emit(OpCodes.Stelem_Ref);
        }
        il.Emit(OpCodes.Ldtoken, inner);
        il.Emit(OpCodes.Call, typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!);
        il.Emit(OpCodes.Call, typeof(SpecialisingFunction).GetMethod(nameof(Typed), BindingFlags.Instance | BindingFlags.NonPublic)!);
        il.Emit(OpCodes.Castclass, inner);
        for (int n = 0; n < parameters.Length; n++)
        {
            if (!function[n])
                il.Emit(OpCodes.Ldarg, n + 1);
        }
        il.Emit(OpCodes.Callvirt, inner.GetMethod("Invoke")!);
        il.Emit(OpCodes.Ret);
        return forward.CreateDelegate(type, this);
    }

    /// <summary>The last functions a forwarder passed, and the specialisation's delegate for them.</summary>
    sealed record Remembered(object?[] Functions, Type Inner, Delegate Typed);

    Remembered? remembered;

    /// <summary>The specialisation's delegate of type <paramref name="inner"/> for <paramref name="functions"/> (what forwarders call).</summary>
    Delegate Typed(object?[] functions, Type inner)
    {
        if (remembered is { } last && last.Inner == inner && Same(last.Functions, functions))
            return last.Typed;
        ObjectDisposedException.ThrowIf(disposed, this);
        FunctionArguments methods = FunctionArguments.Of(Method, functions);
        Delegate made = typed.GetOrAdd((methods, inner), key =>
        {
            CompiledFunction code = For(key.Item1);
            return (Delegate)AsDelegateOf.MakeGenericMethod(key.Item2).Invoke(code, [])!;
        });
        remembered = new Remembered(functions, inner, made);
        return made;
    }

    static readonly MethodInfo AsDelegateOf = typeof(CompiledFunction).GetMethod(nameof(AsDelegate))!;

    static bool Same(object?[] a, object?[] b)
    {
        for (int n = 0; n < a.Length; n++)
        {
            if (!ReferenceEquals(a[n], b[n]) && !(a[n] is nint x && b[n] is nint y && x == y))
                return false;
        }
        return true;
    }

    /// <summary>The timings of the code compiled last (empty before the first call).</summary>
    public override CompileTimings Timings => latest?.Timings ?? new CompileTimings();

    /// <summary>A stage of the code compiled last (for the functions of the latest call, or of <see cref="For"/>).</summary>
    /// <exception cref="InvalidOperationException">Nothing has been compiled yet: call it, or <see cref="For"/>, first.</exception>
    public override string Inspect(Stage stage) => (latest ?? throw new InvalidOperationException(
        $"{Describe()} is compiled per set of functions passed to it, and none has been yet: call it (or For(FunctionArguments.Of(…))) first.")).Inspect(stage);

    protected override void Dispose(bool disposing)
    {
        if (disposed)
            return;
        disposed = true;
        forget?.Invoke();
        foreach (Lazy<CompiledFunction> code in compiled.Values)
        {
            if (code.IsValueCreated)
                code.Value.Dispose();
        }
        base.Dispose(disposing);
    }

    string Describe() => $"{Method.DeclaringType?.Name}.{Method.Name}";
}
