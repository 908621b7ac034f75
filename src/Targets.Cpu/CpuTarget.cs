using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using Targets.Frontend;
using Targets.Frontend.Ir;
using Targets.Llvm;
using Targets.Llvm.Lowering;

namespace Targets.Cpu;

/// <summary>
/// The cpu target: C# methods through the frontend, lowered to LLVM IR, optimised with
/// <c>default&lt;O3&gt;</c> for the host CPU (vectorisation on), and JIT-compiled by ORC LLJIT.
/// Thread-safe; each method is compiled once per options value and cached.
/// </summary>
public sealed class CpuTarget : ITarget, IDisposable
{
    readonly Lazy<(JitEngine Jit, CpuRuntime Runtime)> engine = new(() =>
    {
        JitEngine jit = JitEngine.Create();
        return (jit, CpuRuntime.Install(jit));
    }, LazyThreadSafetyMode.ExecutionAndPublication);
    readonly ConcurrentDictionary<(MethodInfo, CompileOptions), Lazy<CpuCompiledFunction>> cache = new();
    int modules;

    public string Name => "cpu";

    /// <summary>The NRT runtime of this target's JIT.</summary>
    internal CpuRuntime Runtime => engine.Value.Runtime;

    public CompiledFunction Compile(Delegate method, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Target is not null)
            throw new ArgumentException(
                $"Expected a static method; {method.Method.Name} is bound to an instance (lambdas compile to instance methods of a hidden class: write a static method).",
                nameof(method));
        return Compile(method.Method, options);
    }

    public CompiledFunction Compile(MethodInfo method, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method is DynamicMethod || method.GetType().FullName == "System.Reflection.Emit.DynamicMethod+RTDynamicMethod")
            throw new ArgumentException("Expected a method of a loaded assembly; dynamic methods have no readable IL.", nameof(method));
        CompileOptions key = options ?? CompileOptions.Default;
        Lazy<CpuCompiledFunction> entry = cache.GetOrAdd((method, key),
            k => new Lazy<CpuCompiledFunction>(() => CompileUncached(k.Item1, k.Item2), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            // A failed compilation is not cached: the next call reports the error again.
            cache.TryRemove(new KeyValuePair<(MethodInfo, CompileOptions), Lazy<CpuCompiledFunction>>((method, key), entry));
            throw;
        }
    }

    CpuCompiledFunction CompileUncached(MethodInfo method, CompileOptions options)
    {
        IrModule ir = FrontendCompiler.Compile(method, options);
        (JitEngine jit, CpuRuntime runtime) = engine.Value;
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        string name = $"m{Interlocked.Increment(ref modules)}";
        LlvmModule module = LowerOrExplain(ir, context, name, method);
        try
        {
            jit.Optimizer.Configure(module);
            string llvm = module.ToString();
            module.Verify();
            jit.Optimizer.Optimize(module, options.Optimize ? "default<O3>" : "default<O0>");
            string optimized = module.ToString();
            string symbol = ModuleLowering.EntrySymbol(ir, name);
            jit.Add(module);
            nint address = jit.Lookup(symbol);
            return new CpuCompiledFunction(method, ir, address, runtime, llvm, optimized, () => EmitAssembly(optimized));
        }
        catch (LlvmException e)
        {
            module.Dispose();
            throw new CompilationException(CompilationErrorKind.Backend, $"{method.DeclaringType?.Name}.{method.Name}",
                "LLVM rejected the generated code", -1, null, 0, e.LlvmMessage, e);
        }
    }

    static LlvmModule LowerOrExplain(IrModule ir, LlvmContext context, string name, MethodInfo method)
    {
        try
        {
            return ModuleLowering.Lower(ir, context, name);
        }
        catch (InvalidOperationException e)
        {
            throw new CompilationException(CompilationErrorKind.Backend, $"{method.DeclaringType?.Name}.{method.Name}",
                "lowering to LLVM", -1, null, 0, e.Message, e);
        }
    }

    string EmitAssembly(string optimizedIr)
    {
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = context.ParseIr(optimizedIr);
        return engine.Value.Jit.Optimizer.EmitAssembly(module);
    }

    public void Dispose()
    {
        if (engine.IsValueCreated)
            engine.Value.Jit.Dispose();
    }
}
