using System.Reflection;

namespace Targets;

/// <summary>
/// Native code for one C# method on one target. Disposing it releases the code (a long-running
/// host that compiles generated methods does not grow): later calls, through delegates made
/// before included, throw <see cref="ObjectDisposedException"/>.
/// </summary>
public abstract class CompiledFunction : IDisposable
{
    protected CompiledFunction(MethodInfo method) => Method = method ?? throw new ArgumentNullException(nameof(method));

    /// <summary>The C# method this code was compiled from.</summary>
    public MethodInfo Method { get; }

    /// <summary>
    /// Calls the compiled code with boxed arguments (the slow path: any signature). Arguments must
    /// have the parameters' exact types; an exception thrown by the compiled code is re-thrown as
    /// the same .NET exception type and message.
    /// </summary>
    public abstract object? Invoke(params object?[] args);

    /// <summary>
    /// A delegate of type <typeparamref name="TDelegate"/> (e.g. <c>Func&lt;double[], double&gt;</c>)
    /// that calls the compiled code directly. Its signature must match the method's exactly.
    /// </summary>
    public abstract TDelegate AsDelegate<TDelegate>() where TDelegate : Delegate;

    /// <summary>How long each phase of this function's compilation took (host stubs added as they are made).</summary>
    public abstract CompileTimings Timings { get; }

    /// <summary>The code at one stage of the pipeline, as text.</summary>
    /// <exception cref="ArgumentException">The stage does not exist on this target (e.g. Ptx on cpu).</exception>
    public abstract string Inspect(Stage stage);

    /// <summary>Releases the native code; calls in flight finish first. Idempotent.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the target's resources for this function.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
