using Targets.Frontend.Ir;

namespace Targets.Frontend.Passes;

/// <summary>
/// The frontend's passes, in order, each with why it sits where it does. The driver verifies the
/// IR after every pass and names the pass that broke it.
/// </summary>
public static class Pipeline
{
    public sealed record Pass(string Name, Func<IrFunction, int> Run, string Why);

    public static IReadOnlyList<Pass> Passes { get; } =
    [
        new("version-loops-for-bounds-checks", VersionLoopsForBoundsChecks.Run,
            "on the imported form, where counters are still slots the pattern can name; before lowering, so LLVM sees check-free loops it can vectorise"),
    ];

    /// <summary>Runs every pass on every function; returns how much each changed (e.g. loops versioned).</summary>
    public static IReadOnlyDictionary<string, int> Run(IrModule module)
    {
        var counts = new Dictionary<string, int>();
        foreach (Pass pass in Passes)
        {
            int changed = 0;
            foreach (IrFunction function in module.Functions)
                changed += pass.Run(function);
            counts[pass.Name] = changed;
            try
            {
                IrVerifier.Verify(module);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"after pass {pass.Name}: {e.Message}", e);
            }
        }
        return counts;
    }
}
