namespace Targets;

/// <summary>How a method is compiled. The defaults are what a user wants for speed and safety.</summary>
public sealed record CompileOptions
{
    public static CompileOptions Default { get; } = new();

    /// <summary>Run LLVM's optimisation pipeline (<c>default&lt;O3&gt;</c> on cpu). Off: <c>default&lt;O0&gt;</c>.</summary>
    public bool Optimize { get; init; } = true;
}
