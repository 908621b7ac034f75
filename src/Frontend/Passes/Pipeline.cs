using Targets.Frontend.Ir;

namespace Targets.Frontend.Passes;

/// <summary>A pass: its name, what it does to one function (returning counts of what it changed), and why it sits where it does.</summary>
public sealed record Pass(string Name, Func<IrModule, IrFunction, CompileOptions, IReadOnlyDictionary<string, int>> Run, string Why)
{
    /// <summary>A count under one key, for passes that change one kind of thing.</summary>
    public static IReadOnlyDictionary<string, int> Count(string what, int n) => new Dictionary<string, int> { [what] = n };
}

/// <summary>
/// The passes one target runs, in order: each target composes its own (the frontend's
/// <see cref="FrontendPasses"/>, then what its runtime needs — NRT's refcount passes on cpu and
/// parallel, none on cuda). The driver verifies the IR after every pass, and forgets the module's
/// analyses (<see cref="IrModule.Analysis{T}"/>) around each; a pass that fails (throws
/// what is neither a <see cref="CompilationException"/> nor an <see cref="ArgumentException"/>) or
/// leaves IR the verifier refuses is an <see cref="InternalCompilerErrorException"/> naming it and carrying the IR. Set <c>TARGETS_DUMP</c> to a method name (or part of one, e.g. <c>MatMul</c>) to print
/// that method's IR to stderr after import and after every pass.
/// </summary>
public sealed class Pipeline
{
    public Pipeline(IEnumerable<Pass> passes)
    {
        ArgumentNullException.ThrowIfNull(passes);
        Passes = passes.ToList();
        if (Passes.Select(p => p.Name).Distinct().Count() != Passes.Count)
            throw new ArgumentException("Expected passes with distinct names.", nameof(passes));
    }

    public IReadOnlyList<Pass> Passes { get; }

    /// <summary>The frontend's passes alone: what a target without a runtime of its own runs.</summary>
    public static Pipeline Frontend { get; } = new(FrontendPasses.All);

    /// <summary>
    /// Runs every pass on every function; returns, per pass, how much each changed (loops
    /// versioned, refops inserted, refops removed per pruning strategy), summed over functions.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Run(IrModule module, CompileOptions options)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(options);
        var counts = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        string? dump = TargetsSettings.Current.Dump;
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
            module.ForgetAnalyses();
            try
            {
                module.Timings.Measure($"pass {pass.Name}", () =>
                {
                    foreach (IrFunction function in module.Functions.Where(f => !f.IsDeclaration).ToList()) // passes may add functions (outlined loops)
                    {
                        foreach ((string key, int n) in pass.Run(module, function, options))
                            changed[key] = changed.GetValueOrDefault(key) + n;
                    }
                });
            }
            catch (Exception e) when (InternalCompilerErrorException.IsInternal(e))
            {
                throw new InternalCompilerErrorException(module.DisplayName, $"pass {pass.Name}", e, TryPrint(module));
            }
            counts[pass.Name] = changed;
            module.ForgetAnalyses();
            try
            {
                module.Timings.Measure("verify IR", () => IrVerifier.Verify(module));
            }
            catch (InvalidOperationException e)
            {
                throw new InternalCompilerErrorException(module.DisplayName, $"verifying the IR after pass {pass.Name}", e, TryPrint(module));
            }
            Dump(pass.Name);
        }
        return counts;
    }

    /// <summary>The module printed for a bug report, or null when a pass left it too broken to print.</summary>
    static string? TryPrint(IrModule module)
    {
        try
        {
            return IrPrinter.Print(module);
        }
#pragma warning disable CA1031 // a report of one bug must not fail on the next: the IR is a courtesy
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
