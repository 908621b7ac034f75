using Targets.Frontend.Il;

namespace Targets.Frontend.Ir;

/// <summary>
/// An entry function and every function it reaches, compiled together, with the type context
/// that gave its types their meaning. Function 0 is the entry.
/// </summary>
public sealed class IrModule
{
    public IrModule(TypeContext types)
    {
        ArgumentNullException.ThrowIfNull(types);
        Types = types;
    }

    /// <summary>Which classes are jit classes and how they are laid out, for this compilation.</summary>
    public TypeContext Types { get; }

    /// <summary>The index of the function named <paramref name="symbol"/>, or -1.</summary>
    public int IndexOf(string symbol) => Functions.FindIndex(f => f.Name == symbol);

    public List<IrFunction> Functions { get; } = [];

    public IrFunction Entry => Functions[0];

    /// <summary>
    /// How messages name the module: the first function with a C# method behind it, as
    /// <c>Type.Method</c> (a kernel's, behind a launcher that has none), else the entry's symbol.
    /// </summary>
    public string DisplayName
    {
        get
        {
            foreach (IrFunction f in Functions)
            {
                if (f.Method is not null)
                    return f.DisplayName;
            }
            return Entry.Name;
        }
    }

    /// <summary>How long the compilation of this module took, phase by phase (the frontend's phases, then the target's).</summary>
    public CompileTimings Timings { get; } = new();

    /// <summary>What each pass of the pipeline changed, per pass name (e.g. prune-refcounts → Pairs → 3).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> PassCounts { get; set; } =
        new Dictionary<string, IReadOnlyDictionary<string, int>>();

    readonly Dictionary<Type, object> analyses = [];

    /// <summary>
    /// An analysis of the whole module (e.g. <see cref="Analysis.StoreEffects"/>), computed on first
    /// use and kept, so a pass that runs function by function computes it once, not once per
    /// function. The <see cref="Passes.Pipeline"/> forgets every analysis before and after each
    /// pass; a pass that asks for one must keep it true through its own changes (or not ask).
    /// </summary>
    public T Analysis<T>(Func<IrModule, T> compute) where T : class
    {
        ArgumentNullException.ThrowIfNull(compute);
        if (analyses.TryGetValue(typeof(T), out object? kept))
            return (T)kept;
        T computed = compute(this);
        analyses[typeof(T)] = computed;
        return computed;
    }

    /// <summary>Forgets every kept <see cref="Analysis{T}"/>: what a pass changed may have changed them.</summary>
    public void ForgetAnalyses() => analyses.Clear();

    /// <summary>
    /// Every type the module's functions name: returns, parameters, slots, values and the types
    /// instructions carry (element, field, conversion types), with repeats; elements of arrays and
    /// byrefs are the caller's to follow. What the printer declares and cache keys lay out.
    /// </summary>
    public IEnumerable<IrType> NamedTypes()
    {
        foreach (IrFunction f in Functions)
        {
            yield return f.ReturnType;
            foreach (IrType type in f.ParameterTypes)
                yield return type;
            foreach (IrType type in f.Slots)
                yield return type;
            foreach (IrType type in f.ValueTypes)
                yield return type;
            foreach (IrBlock block in f.Blocks)
            {
                foreach (Instruction i in block.Instructions)
                {
                    if (i.TargetType is { } target)
                        yield return target;
                }
            }
        }
    }

    public override string ToString() => IrPrinter.Print(this);
}
