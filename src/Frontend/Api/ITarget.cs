using System.Reflection;

namespace Targets;

/// <summary>A compilation target: <c>cpu</c>, <c>parallel</c> or <c>cuda</c>.</summary>
public interface ITarget
{
    /// <summary>The target's name as the CLI shows it: "cpu", "parallel", "cuda".</summary>
    string Name { get; }

    /// <summary>
    /// Compiles a static method given as a method group (<c>target.Compile(MyCode.Sum)</c>) or any
    /// delegate to a static method. Compiling the same method twice returns the cached result.
    /// </summary>
    /// <exception cref="ArgumentException">The delegate targets an instance, a lambda closure or a dynamic method.</exception>
    /// <exception cref="CompilationException">The method uses C# the compiler does not support.</exception>
    CompiledFunction Compile(Delegate method, CompileOptions? options = null);

    /// <inheritdoc cref="Compile(Delegate, CompileOptions?)"/>
    CompiledFunction Compile(MethodInfo method, CompileOptions? options = null);
}
