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
    readonly IrFunction entry;
    readonly nint address;
    readonly CpuRuntime runtime;
    readonly Func<Stage, string> inspect;
    readonly System.Collections.Concurrent.ConcurrentDictionary<Stage, string> inspected = new();
    readonly Lazy<Func<object?[], object?>> boxed;
    readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Delegate> delegates = new();

    internal CpuCompiledFunction(MethodInfo method, IrModule ir, nint address, CpuRuntime runtime, Func<Stage, string> inspect)
        : base(method)
    {
        entry = ir.Entry;
        this.address = address;
        PassCounts = ir.PassCounts;
        this.inspect = inspect;
        this.runtime = runtime;
        boxed = new Lazy<Func<object?[], object?>>(() => HostStubGenerator.Boxed(entry, address, runtime));
    }

    /// <summary>
    /// What each frontend pass changed, summed over the compiled functions: e.g.
    /// <c>PassCounts["prune-refcounts"]["Pairs"]</c> is how many incref/decref pairs were removed.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> PassCounts { get; }

    /// <summary>The native entry point (the host trampoline of the ABI).</summary>
    public nint Address => address;

    public override object? Invoke(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ParameterInfo[] parameters = Method.GetParameters();
        if (args.Length != parameters.Length)
            throw new ArgumentException($"{Describe()} takes {parameters.Length} argument(s), got {args.Length}.", nameof(args));
        for (int n = 0; n < parameters.Length; n++)
        {
            Type expected = parameters[n].ParameterType;
            if (expected.IsByRef)
                throw new ArgumentException($"{Describe()} has ref/out parameter '{parameters[n].Name}': call it through AsDelegate with a matching delegate type.", nameof(args));
            bool fits = args[n] is null ? !expected.IsValueType : expected.IsInstanceOfType(args[n]) && (!expected.IsArray || args[n]!.GetType() == expected);
            if (!fits)
                throw new ArgumentException(
                    $"{Describe()}: argument {n} ('{parameters[n].Name}') must be {expected.Name}, got {(args[n] is null ? "null" : args[n]!.GetType().Name)}.",
                    nameof(args));
        }
        return boxed.Value(args);
    }

    public override TDelegate AsDelegate<TDelegate>()
    {
        return (TDelegate)delegates.GetOrAdd(typeof(TDelegate), type =>
        {
            MethodInfo invoke = type.GetMethod("Invoke")!;
            Type[] expected = Method.GetParameters().Select(p => p.ParameterType).ToArray();
            Type[] actual = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
            // NrtArray<T> may stand for a returned T[]: the zero-copy view.
            bool view = Method.ReturnType.IsSZArray && invoke.ReturnType.IsGenericType
                && invoke.ReturnType.GetGenericTypeDefinition() == typeof(NrtArray<>)
                && invoke.ReturnType.GetGenericArguments()[0] == Method.ReturnType.GetElementType();
            if ((invoke.ReturnType != Method.ReturnType && !view) || !expected.SequenceEqual(actual))
                throw new ArgumentException(
                    $"Expected a delegate type with the signature {Signature(Method.ReturnType, expected)} of {Describe()}, got {type.Name}: {Signature(invoke.ReturnType, actual)}.",
                    nameof(TDelegate));
            return HostStubGenerator.Typed(type, entry, address, runtime);
        });
    }

    public override string Inspect(Stage stage) => stage switch
    {
        Stage.Ir or Stage.Llvm or Stage.OptimizedLlvm or Stage.Asm => inspected.GetOrAdd(stage, inspect),
        _ => throw new ArgumentException($"The cpu target has no {stage} stage; it has Ir, Llvm, OptimizedLlvm and Asm.", nameof(stage)),
    };

    string Describe() => $"{Method.DeclaringType?.Name}.{Method.Name}";

    static string Signature(Type returnType, Type[] parameters) =>
        $"{returnType.Name}({string.Join(", ", parameters.Select(p => p.Name))})";
}
