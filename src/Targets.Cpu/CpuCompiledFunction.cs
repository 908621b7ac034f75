using System.Reflection;
using Targets.Cpu.Host;
using Targets.Frontend.Ir;

namespace Targets.Cpu;

/// <summary>
/// A method compiled for the cpu target: its native entry in the JIT, the text of each pipeline
/// stage for <see cref="Inspect"/> (made on first request), and host stubs made on first use (one
/// per delegate type).
/// </summary>
public sealed class CpuCompiledFunction : CompiledFunction
{
    readonly HostSignature signature;
    readonly CompiledCode code;
    readonly Action forget;
    readonly Func<LayoutContext, CompiledFunction> specialise;
    readonly CpuRuntime runtime;
    readonly Func<Stage, string> inspect;
    readonly System.Collections.Concurrent.ConcurrentDictionary<Stage, string> inspected = new();
    readonly Lazy<Func<object?[], object?>> boxed;
    readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Delegate> delegates = new();

    readonly LayoutContext layouts;

    internal CpuCompiledFunction(MethodInfo method, EntryCode entry, CompiledCode code, CpuRuntime runtime, LayoutContext layouts, Action forget,
        Func<LayoutContext, CompiledFunction> specialise)
        : base(method)
    {
        this.specialise = specialise;
        Timings = entry.Timings;
        signature = entry.Signature;
        this.code = code;
        this.forget = forget;
        PassCounts = entry.PassCounts;
        inspect = entry.Inspect;
        this.runtime = runtime;
        this.layouts = layouts;
        boxed = new Lazy<Func<object?[], object?>>(() => Timings.Measure("host stub (Invoke)", () => HostStubGenerator.Boxed(signature, code, runtime)));
    }

    /// <summary>
    /// What each frontend pass changed, summed over the compiled functions: e.g.
    /// <c>PassCounts["prune-refcounts"]["Pairs"]</c> is how many incref/decref pairs were removed.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> PassCounts { get; }

    /// <summary>The native entry point (the host trampoline of the ABI).</summary>
    public nint Address => code.Entry;

    /// <summary>
    /// Whether calls from .NET skip the GC transition: the code is brief (no loops, no recursion, no calls out of
    /// its module, no bulk memory copies), so it cannot block or call back into .NET, and the transition would
    /// cost more than the code runs. Decided on the optimised module and kept in the cache entry.
    /// </summary>
    public bool CallsWithoutTransition => code.Brief;

    /// <summary>
    /// The tier of the code calls run now: <see cref="CompileTier.Quick"/> until tiered code
    /// (<see cref="CompileOptions.Tier"/>) is promoted, then <see cref="CompileTier.Optimized"/>.
    /// <see cref="CompiledFunction.Timings"/> and <see cref="Inspect"/> describe the code the first call ran.
    /// </summary>
    public CompileTier Tier => code.Tier;

    /// <summary>
    /// Waits until the function's code is at its top tier (at once for code that is not tiered), the function is
    /// disposed, or its promotion failed (the quick code then stays): for benchmarks and tests that want the
    /// steady state. False when <paramref name="timeout"/> passed first.
    /// </summary>
    public bool WaitForTopTier(TimeSpan timeout) => code.TopTier.Wait(timeout);

    /// <summary>
    /// Whether the native code itself has been freed (it is once the calls in flight at
    /// <see cref="CompiledFunction.Dispose()"/> have returned; code compiled with lazy callees stays,
    /// since other compiled code may call it).
    /// </summary>
    public bool CodeReleased => code.Removed;

    /// <summary>
    /// Releases the native code: later calls through <see cref="Invoke"/>, <see cref="AsDelegate{TDelegate}"/>
    /// or delegates made before throw <see cref="ObjectDisposedException"/>; calls in flight finish first.
    /// The target forgets the function, so compiling the method again makes new code.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        code.Release();
        forget();
        base.Dispose(disposing);
    }

    /// <summary>
    /// What .NET passes: the parameters (with <c>this</c> first for an instance method), boxes for
    /// instances (a loop: LINQ here would load System.Linq on a cache hit's path).
    /// </summary>
    Type[] HostParameters
    {
        get
        {
            var types = new Type[signature.Parameters.Count];
            for (int n = 0; n < types.Length; n++)
                types[n] = signature.HostParameters[n];
            return types;
        }
    }

    public override object? Invoke(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ThrowIfReleased();
        if (signature.Uncallable is { } why)
            throw new ArgumentException(why + ".", nameof(args));
        Type[] expected = HostParameters;
        if (args.Length != expected.Length)
            throw new ArgumentException($"{Describe()} takes {expected.Length} argument(s){(Method.IsStatic ? "" : " (the instance first)")}, got {args.Length}.", nameof(args));
        args = [.. args]; // numbers C# converts implicitly are converted in a copy, never in the caller's array
        for (int n = 0; n < expected.Length; n++)
        {
            if (args[n] is { } number && number.GetType() != expected[n] && number.GetType().IsPrimitive && ImplicitConversion.Exists(number.GetType(), expected[n]))
                args[n] = ImplicitConversion.Convert(number, expected[n]);
            if (expected[n].IsByRef)
                throw new ArgumentException($"{Describe()} has a ref/out parameter (argument {n}): call it through AsDelegate with a matching delegate type.", nameof(args));
            if (expected[n].IsByRefLike)
                throw new ArgumentException($"{Describe()} takes a span (argument {n}), which cannot be boxed: call it through AsDelegate with a matching delegate type (Func<ReadOnlySpan<double>, double>, …).", nameof(args));
            bool fits = args[n] is null ? !expected[n].IsValueType : expected[n].IsInstanceOfType(args[n]) && (!expected[n].IsArray || args[n]!.GetType() == expected[n]);
            if (args[n] is JitObject box && signature.Parameters[n].JitClass?.IsAssignableFrom(box.Type.ClrType) != true)
                fits = false;
            if (!fits)
                throw new ArgumentException(
                    $"{Describe()}: argument {n} must be {Name(signature.Parameters[n], expected[n])}, got {(args[n] is null ? "null" : args[n] is JitObject b ? "a box of " + b.Type.Name : args[n]!.GetType().Name)}.",
                    nameof(args));
        }
        LayoutContext wanted = LayoutsOf(args);
        return wanted == layouts ? boxed.Value(args) : specialise(wanted).Invoke(args);
    }

    /// <summary>
    /// The context whose layouts match the boxes among <paramref name="args"/>: this function's own
    /// unless a box is of another <c>Define</c> of its class (then the code for that layout runs).
    /// </summary>
    /// <exception cref="ArgumentException">Two boxes of one class with different layouts: one call reads a class one way.</exception>
    LayoutContext LayoutsOf(object?[] args)
    {
        LayoutContext wanted = layouts;
        foreach (object? arg in args)
        {
            if (arg is JitObject box && box.Layouts != layouts)
                wanted = wanted.With(box.Type);
        }
        for (int n = 0; n < args.Length && wanted != layouts; n++)
        {
            if (args[n] is JitObject box && !LayoutContext.SameLayout(wanted.Layout(box.Type.ClrType), box.Type))
                throw new ArgumentException($"{Describe()}: argument {n} is a box of {box.Type}, but another argument is a box of {wanted.Layout(box.Type.ClrType)}; one call takes one layout per class.", nameof(args));
        }
        return wanted;
    }

    static string Name(IrType type, Type host) => type.Kind == IrTypeKind.Instance ? $"a JitObject of {type.JitClass!.Name}" : host.Name;

    public override TDelegate AsDelegate<TDelegate>()
    {
        ThrowIfReleased();
        if (signature.Uncallable is { } why)
            throw new ArgumentException(why + ".", nameof(TDelegate));
        return (TDelegate)delegates.GetOrAdd(typeof(TDelegate), type =>
        {
            MethodInfo invoke = type.IsAbstract || type.GetMethod("Invoke") is not { } found
                ? throw new ArgumentException(
                    $"Expected a concrete delegate type with the signature of {Describe()} (Func<…>, Action<…> or a delegate declared for it), got {type.Name}, which has no Invoke signature.",
                    nameof(TDelegate))
                : found;
            // Parameters by their .NET types, jit class instances as JitObject (this first for instance methods).
            Type[] expected = HostParameters;
            Type returns = signature.HostReturn;
            Type[] actual = HostSignature.ParameterTypes(invoke);
            // NrtArray<T> may stand for a returned T[]: the zero-copy view.
            bool view = returns.IsSZArray && invoke.ReturnType.IsGenericType
                && invoke.ReturnType.GetGenericTypeDefinition() == typeof(NrtArray<>)
                && invoke.ReturnType.GetGenericArguments()[0] == returns.GetElementType();
            if ((invoke.ReturnType != returns && !view) || !expected.AsSpan().SequenceEqual(actual))
                throw new ArgumentException(
                    $"Expected a delegate type with the signature {Signature(returns, expected)} of {Describe()}, got {type.Name}: {Signature(invoke.ReturnType, actual)}.",
                    nameof(TDelegate));
            return Timings.Measure($"host stub ({type.Name})", () => HostStubGenerator.Typed(type, signature, code, runtime));
        });
    }

    public override CompileTimings Timings { get; }

    public override string Inspect(Stage stage) => stage switch
    {
        Stage.Ir or Stage.Llvm or Stage.OptimizedLlvm or Stage.Asm => inspected.GetOrAdd(stage, inspect),
        Stage.Timings => Timings.ToString(),
        _ => throw new ArgumentException($"The cpu target has no {stage} stage; it has Ir, Llvm, OptimizedLlvm, Asm and Timings.", nameof(stage)),
    };

    string Describe() => $"{Method.DeclaringType?.Name}.{Method.Name}";

    void ThrowIfReleased()
    {
        if (code.Released)
            throw new ObjectDisposedException(Describe(), $"{Describe()} was disposed: its compiled code has been released (compile the method again for new code).");
    }

    static string Signature(Type returnType, Type[] parameters) =>
        $"{returnType.Name}({string.Join(", ", parameters.Select(p => p.Name))})";
}
