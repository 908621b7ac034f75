using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Analysis;

/// <summary>
/// What calling each function of a module may write, through the functions it calls too: which jit
/// class fields (a store or an address taken), and whether it may release a reference other code
/// can see (a store of a counted field or element replaces, and so releases, what was there). A
/// store through a pointer may reach any field; a separately compiled callee (a declaration) may
/// do anything. Passes use it to keep a borrowed value borrowed only where no call can free it.
/// </summary>
public static class StoreEffects
{
    /// <summary>Per function index: the fields it may store, or null when it may store any.</summary>
    public static HashSet<FieldInfo>?[] Fields(IrModule module)
    {
        HashSet<FieldInfo>?[] stored = module.Functions.Select(g =>
        {
            List<Instruction> all = g.Blocks.SelectMany(b => b.Instructions).ToList();
            return g.IsDeclaration || all.Any(i => i.Op == Opcode.StoreIndirect) ? null
                : all.Where(i => i.Op is Opcode.StoreField or Opcode.FieldAddress).Select(i => i.Field!).ToHashSet();
        }).ToArray();
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int n = 0; n < stored.Length; n++)
            {
                foreach (Instruction call in module.Functions[n].Blocks.SelectMany(b => b.Instructions).Where(i => i.Op == Opcode.Call))
                {
                    if (stored[n] is not { } mine)
                        break;
                    if (call.Callee == n)
                        continue;
                    if (stored[call.Callee] is { } theirs)
                    {
                        int before = mine.Count;
                        mine.UnionWith(theirs);
                        changed |= mine.Count != before;
                    }
                    else
                    {
                        stored[n] = null;
                        changed = true;
                    }
                }
            }
        }
        return stored;
    }

    /// <summary>Per function index: whether calling it may release a reference other code can see.</summary>
    public static bool[] MayRelease(IrModule module)
    {
        List<IrFunction> functions = module.Functions;
        HashSet<FieldInfo>?[] fields = Fields(module);
        var may = new bool[functions.Count]; // a loop: LINQ yielding bools is JIT-compiled in every process
        for (int n = 0; n < may.Length; n++)
            may[n] = fields[n] is null || fields[n]!.Any(field => module.Types.Map(field.FieldType) is { IsCounted: true })
                || functions[n].Blocks.SelectMany(b => b.Instructions).Any(i => i.Op == Opcode.StoreElement && i.TargetType!.IsCounted);
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int k = 0; k < functions.Count; k++)
            {
                if (!may[k] && functions[k].Blocks.SelectMany(b => b.Instructions).Any(i => i.Op == Opcode.Call && may[i.Callee]))
                    changed = may[k] = true;
            }
        }
        return may;
    }
}
