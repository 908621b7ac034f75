using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Analysis;

/// <summary>
/// What calling each function of a module may write, through the functions it calls too: which jit
/// class fields (a store or an address taken), and whether it may release a reference other code
/// can see (a store of a counted field or element, or of a struct that holds references, replaces,
/// and so releases, what was there). A
/// store through a pointer may reach any field; a separately compiled callee (a declaration) may
/// do anything. Passes use it to keep a borrowed value borrowed only where no call can free it.
/// Computed once per pass over the module (<see cref="IrModule.Analysis{T}"/>: the refcount passes,
/// which ask for it, change no store and no call) in time linear in the module times the fields
/// that propagate: each function's own effects in one walk, then a worklist that revisits a
/// function's callers only when what it may do grew.
/// </summary>
public sealed class StoreEffects
{
    StoreEffects(HashSet<FieldInfo>?[] fields, bool[] mayRelease)
    {
        FieldsOf = fields;
        MayReleaseOf = mayRelease;
    }

    /// <summary>Per function index: the fields it may store, or null when it may store any.</summary>
    public IReadOnlyList<HashSet<FieldInfo>?> FieldsOf { get; }

    /// <summary>Per function index: whether calling it may release a reference other code can see.</summary>
    public IReadOnlyList<bool> MayReleaseOf { get; }

    /// <summary>The module's store effects, kept for the pass that asks.</summary>
    public static StoreEffects Of(IrModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.Analysis(Compute);
    }

    static StoreEffects Compute(IrModule module)
    {
        List<IrFunction> functions = module.Functions;
        int count = functions.Count;
        var fields = new HashSet<FieldInfo>?[count];
        var may = new bool[count];
        var callers = new List<int>[count];
        for (int n = 0; n < count; n++)
            callers[n] = [];
        // Each function's own effects, and who calls whom.
        for (int n = 0; n < count; n++)
        {
            IrFunction g = functions[n];
            HashSet<FieldInfo>? stored = g.IsDeclaration ? null : [];
            bool releases = g.IsDeclaration;
            foreach (IrBlock block in g.Blocks)
            {
                foreach (Instruction i in block.Instructions)
                {
                    switch (i.Op)
                    {
                        case Opcode.StoreIndirect:
                            stored = null;
                            break;
                        case Opcode.StoreField or Opcode.FieldAddress:
                            stored?.Add(i.Field!);
                            break;
                        case Opcode.StoreElement when i.TargetType!.HoldsCounted:
                            releases = true;
                            break;
                        case Opcode.Call when i.Callee != n:
                            callers[i.Callee].Add(n);
                            break;
                    }
                }
            }
            fields[n] = stored;
            may[n] = releases || stored is null || stored.Any(field => module.Types.Map(field.FieldType) is { HoldsCounted: true });
        }
        // Callers take on what their callees may do, until nothing grows.
        var work = new Queue<int>();
        var queued = new bool[count];
        for (int n = 0; n < count; n++)
        {
            work.Enqueue(n);
            queued[n] = true;
        }
        while (work.TryDequeue(out int callee))
        {
            queued[callee] = false;
            foreach (int caller in callers[callee])
            {
                bool grew = false;
                if (fields[caller] is { } mine)
                {
                    if (fields[callee] is { } theirs)
                    {
                        int before = mine.Count;
                        mine.UnionWith(theirs);
                        grew = mine.Count != before;
                    }
                    else
                    {
                        fields[caller] = null;
                        grew = true;
                    }
                }
                if (may[callee] && !may[caller])
                    grew = may[caller] = true;
                if (grew && !queued[caller])
                {
                    work.Enqueue(caller);
                    queued[caller] = true;
                }
            }
        }
        return new StoreEffects(fields, may);
    }
}
