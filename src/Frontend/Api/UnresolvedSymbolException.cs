using System.Reflection;

namespace Targets;

/// <summary>
/// Compiled code called a method that was to be compiled when first called
/// (<see cref="CompileOptions.LazyCallees"/>) and could not be: the
/// <see cref="Exception.InnerException"/> is the <see cref="CompilationException"/> that says why.
/// The call raised this instead of running anything; calling that path again raises it again.
/// </summary>
public sealed class UnresolvedSymbolException : Exception
{
    public UnresolvedSymbolException(MethodBase callee, Exception reason)
        : base($"{callee.DeclaringType?.Name}.{callee.Name} was called from compiled code but could not be compiled: {reason?.Message}", reason)
    {
        Callee = callee;
    }

    /// <summary>The method that could not be compiled.</summary>
    public MethodBase Callee { get; }
}
