namespace Targets;

/// <summary>How a method is compiled. The defaults are what a user wants for speed and safety.</summary>
public sealed record CompileOptions
{
    public static CompileOptions Default { get; } = new();

    /// <summary>Which reference-count pruning strategies run (all by default; switch off to test or compare).</summary>
    public RefcountPruning RefcountPruning { get; init; } = RefcountPruning.All;

    /// <summary>Run LLVM's optimisation pipeline (<c>default&lt;O3&gt;</c> on cpu). Off: <c>default&lt;O0&gt;</c>.</summary>
    public bool Optimize { get; init; } = true;
}

/// <summary>The strategies of the reference-count pruning pass (see <c>PruneRefcounts</c>).</summary>
[Flags]
public enum RefcountPruning
{
    None = 0,
    /// <summary>Release a replaced array at once when nothing still uses it.</summary>
    ReplacedValues = 1,
    /// <summary>Hand a new array's reference to the variable it is stored in.</summary>
    NewReferences = 2,
    /// <summary>Cancel an incref and a later decref of the same array or instance in one block.</summary>
    Pairs = 4,
    /// <summary>Let array parameters that are never assigned borrow the caller's reference.</summary>
    BorrowedParameters = 8,
    /// <summary>Let a variable that walks a linked structure borrow, where nothing can break the links it follows.</summary>
    BorrowedCursors = 16,
    All = ReplacedValues | NewReferences | Pairs | BorrowedParameters | BorrowedCursors,
}
