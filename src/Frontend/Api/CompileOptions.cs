namespace Targets;

/// <summary>How a method is compiled. The defaults are what a user wants for speed and safety.</summary>
public sealed record CompileOptions
{
    public static CompileOptions Default { get; } = new();

    /// <summary>Which reference-count pruning strategies run (all by default; switch off to test or compare).</summary>
    public RefcountPruning RefcountPruning
    {
        get => (RefcountPruning)pruning;
        init => pruning = (int)value;
    }

    // Kept as its number: the record's equality and hash (every Compile looks code up by its options)
    // would otherwise make .NET build an enum comparer by reflection in each process (~1.5 ms cold).
    readonly int pruning = (int)RefcountPruning.All;

    /// <summary>Run LLVM's optimisation pipeline (<c>default&lt;O3&gt;</c> on cpu). Off: <c>default&lt;O0&gt;</c>.</summary>
    public bool Optimize { get; init; } = true;

    /// <summary>
    /// Compiles the checked variant of the code and switches NRT debug mode on, as
    /// <c>Nrt.DebugMode = true</c> or the environment variable <c>TARGETS_NRT_DEBUG=1</c> do (new
    /// memory filled with 0xCB, freed with 0xDE, every NRT call traced to stderr, a decref below
    /// zero recorded instead of corrupting memory). Code compiled while debug mode is on is checked
    /// too. The choice is made at compile time and a compiled function keeps it: code compiled
    /// without debug mode inlines its reference counts with no debug branch, so it does not trace
    /// or check its own increfs and decrefs when debug mode is switched on later (allocation, free
    /// and the fills, which happen in the runtime, still follow the mode at run time).
    /// </summary>
    public bool NrtDebug { get; init; }

    /// <summary>
    /// Compile only the method asked for now; each other method it calls is compiled when first
    /// called, through a slot that then points at the compiled code (so mutually recursive
    /// functions compile separately, and a large program pays only for the paths it runs). A
    /// callee's signature is checked now; a callee whose body cannot be compiled makes its call
    /// raise <see cref="UnresolvedSymbolException"/> instead of failing this compilation. Off by default: the whole call graph compiles at once,
    /// errors surface from <c>Compile</c>, and small callees are inlined.
    /// </summary>
    public bool LazyCallees { get; init; }

    /// <summary>
    /// Keep the native code in the persistent on-disk cache and load it from there when the same
    /// code is asked for again, in this process or another (on by default; the cpu and parallel
    /// targets). The environment variable <c>TARGETS_CACHE=0</c> turns it off for the process,
    /// <c>TARGETS_CACHE_DIR</c> moves it (default <c>$XDG_CACHE_HOME/targets</c> or
    /// <c>~/.cache/targets</c>). Code compiled with <see cref="LazyCallees"/> is never cached.
    /// </summary>
    public bool Cache { get; init; } = true;

    /// <summary>
    /// How the code is optimised over its life on the cpu and parallel targets (cuda ignores it):
    /// <see cref="CompileTier.Optimized"/> (the default) runs LLVM's full pipeline before the first call;
    /// <see cref="CompileTier.Tiered"/> first compiles quickly (a short LLVM pipeline — registers, common
    /// subexpressions, folding; no loop, inlining or vector work — and no code-generation optimisation) and recompiles at the top tier on a background thread, swapping the code in when it is
    /// ready (a function found in the compile cache, or compiled by another target, starts at the top tier);
    /// <see cref="CompileTier.Quick"/> keeps the quick code (never cached). Ignored without <see cref="Optimize"/>
    /// and with <see cref="LazyCallees"/>, which compile at <c>O0</c> and at the top tier respectively.
    /// </summary>
    public CompileTier Tier
    {
        get => (CompileTier)tier;
        init => tier = (int)value;
    }

    readonly int tier; // as its number, like pruning above
}

/// <summary>The tiers of <see cref="CompileOptions.Tier"/>.</summary>
public enum CompileTier
{
    /// <summary>Fully optimised before the first call.</summary>
    Optimized = 0,
    /// <summary>Quick code first, the optimised code swapped in once a background thread has compiled it.</summary>
    Tiered = 1,
    /// <summary>The quick code only: compiled fastest, runs slower; not kept in the compile cache.</summary>
    Quick = 2,
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
    /// <summary>
    /// Let a variable that holds elements of an array (<c>var b = bodies[j]</c> in a loop) borrow,
    /// where nothing can store an element or drop the array while it is in use.
    /// </summary>
    BorrowedElements = 32,
    All = ReplacedValues | NewReferences | Pairs | BorrowedParameters | BorrowedCursors | BorrowedElements,
}
