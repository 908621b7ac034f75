using System.Reflection;

namespace Targets;

/// <summary>Native code for one C# method on one target.</summary>
public abstract class CompiledFunction
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

    /// <summary>The code at one stage of the pipeline, as text.</summary>
    /// <exception cref="ArgumentException">The stage does not exist on this target (e.g. Ptx on cpu).</exception>
    public abstract string Inspect(Stage stage);
}
