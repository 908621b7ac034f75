using Targets.Frontend.Ir;

namespace Targets.Frontend.Passes;

/// <summary>
/// The frontend's passes, in order, each with why it sits where it does. The driver verifies the
/// IR after every pass and names the pass that broke it. Set <c>TARGETS_DUMP</c> to a method name
/// (or part of one, e.g. <c>MatMul</c>) to print that method's IR to stderr after import and after
/// every pass.
/// </summary>
public static class Pipeline
{
    /// <summary>A pass: its name, what it does to one function (returning counts of what it changed), and why it sits where it does.</summary>
    public sealed record Pass(string Name, Func<IrModule, IrFunction, CompileOptions, IReadOnlyDictionary<string, int>> Run, string Why);

    public static IReadOnlyList<Pass> Passes { get; } =
    [
        new("version-loops-for-bounds-checks", (_, f, _) => Count("loops", VersionLoopsForBoundsChecks.Run(f)),
            "on the imported form, where counters are still slots the pattern can name; before lowering, so LLVM sees check-free loops it can vectorise"),
        new("inline-straight-calls", (m, f, _) => Count("calls", InlineStraightCalls.Run(m, f)),
            "after versioning, which matches loops as imported; before insert-refcounts, so that a value passed to a constructor and stored into a field is counted in one block, where pruning can pair the two sides"),
        new("insert-refcounts", (m, f, _) => Count("inserted", InsertRefcounts.Run(m, f)),
            "after versioning, so both copies of a loop are counted; before pruning, which needs its naive form"),
        new("prune-refcounts", (m, f, o) => PruneRefcounts.Run(m, f, o.RefcountPruning),
            "right after insertion: it pattern-matches exactly what insert-refcounts writes"),
    ];

    static Dictionary<string, int> Count(string what, int n) => new Dictionary<string, int> { [what] = n };

    /// <summary>
    /// Runs every pass on every function; returns, per pass, how much each changed (loops
    /// versioned, refops inserted, refops removed per pruning strategy), summed over functions.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Run(IrModule module, CompileOptions options)
    {
        var counts = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        string? dump = Environment.GetEnvironmentVariable("TARGETS_DUMP");
        void Dump(string after)
        {
            if (string.IsNullOrEmpty(dump) || !module.Entry.Name.Contains(dump, StringComparison.Ordinal))
                return;
            Console.Error.WriteLine($"; ---- {module.Entry.Name} after {after} ----");
            Console.Error.Write(IrPrinter.Print(module));
        }
        Dump("import");
        foreach (Pass pass in Passes)
        {
            var changed = new Dictionary<string, int>();
            foreach (IrFunction function in module.Functions.Where(f => !f.IsDeclaration))
            {
                foreach ((string key, int n) in pass.Run(module, function, options))
                    changed[key] = changed.GetValueOrDefault(key) + n;
            }
            counts[pass.Name] = changed;
            try
            {
                IrVerifier.Verify(module);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"after pass {pass.Name}: {e.Message}", e);
            }
            Dump(pass.Name);
        }
        return counts;
    }
}
