using System.Linq.Expressions;
using System.Reflection;
using Targets.Cuda.Lowering;
using Targets.Frontend;
using Targets.Frontend.Ir;

namespace Targets.Cuda;

/// <summary>
/// A method compiled for cuda as a function: <see cref="Invoke"/> runs it in one thread of a
/// one-block grid (on the device, or the simulator) with arrays copied in and back, and returns
/// its result; exceptions come back as .NET's own. Its stages can be inspected with no device.
/// </summary>
internal sealed class CudaCompiledFunction : CompiledFunction
{
    readonly CudaTarget target;
    readonly CudaKernel kernel;
    readonly CompileOptions options;
    bool disposed;

    public CudaCompiledFunction(CudaTarget target, MethodInfo method, CudaKernel kernel, CompileOptions options)
        : base(method)
    {
        this.target = target;
        this.kernel = kernel;
        this.options = options;
    }

    public override CompileTimings Timings => kernel.Ir.Timings;

    public override object? Invoke(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(disposed, this);
        return target.Run(kernel, new Dim3(1), new Dim3(1), [], args);
    }

    public override TDelegate AsDelegate<TDelegate>()
    {
        MethodInfo invoke = typeof(TDelegate).GetMethod("Invoke")!;
        ParameterInfo[] parameters = FunctionArguments.ValueParameters(Method); // the functions passed are compiled in
        if (invoke.ReturnType != Method.ReturnType || !invoke.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters.Select(p => p.ParameterType)))
            throw new ArgumentException($"Expected a delegate type with the signature of {Method.Name}: {Method.ReturnType.Name}({string.Join(", ", parameters.Select(p => p.ParameterType.Name))}).", nameof(TDelegate));
        // The delegate boxes its arguments into Invoke: one launch per call, as CUDA would be driven.
        ParameterExpression[] arguments = [.. invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name))];
        Expression call = Expression.Call(Expression.Constant(this), typeof(CudaCompiledFunction).GetMethod(nameof(Invoke))!,
            Expression.NewArrayInit(typeof(object), arguments.Select(a => Expression.Convert(a, typeof(object)))));
        Expression body = invoke.ReturnType == typeof(void) ? call : Expression.Convert(call, invoke.ReturnType);
        return Expression.Lambda<TDelegate>(body, arguments).Compile();
    }

    public override string Inspect(Stage stage) => stage switch
    {
        Stage.Ir => kernel.Ir.ToString(),
        Stage.Timings => Timings.ToString(),
        Stage.Llvm or Stage.OptimizedLlvm or Stage.Ptx => kernel.Ptx is { } ptx && stage == Stage.Ptx
            ? ptx
            : CudaCompiler.Device(kernel.Ir, target.Layouts, kernel.Entry, CudaCompiler.NewModuleName(), target.Ptx, target.Options, options, stage),
        _ => throw new ArgumentException($"The cuda target has stages Ir, Llvm, OptimizedLlvm, Ptx and Timings; {stage} is a host stage.", nameof(stage)),
    };

    protected override void Dispose(bool disposing)
    {
        disposed = true;
        base.Dispose(disposing);
    }
}
