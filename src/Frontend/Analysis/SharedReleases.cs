using Targets.Frontend.Ir;

namespace Targets.Frontend.Analysis;

/// <summary>
/// Which functions of a module may release a reference other code can see: by storing into a
/// counted field or element, or through a pointer (what the store replaces is released), directly
/// or in a function they call. A separately compiled callee (a declaration) is assumed to. A value
/// a caller only borrows from a field or an element may die in a call of such a function.
/// </summary>
public static class SharedReleases
{
    /// <summary>Per function index of <paramref name="module"/>: whether calling it may release a shared reference.</summary>
    public static bool[] Of(IrModule module)
    {
        List<IrFunction> functions = module.Functions;
        bool[] may = functions.Select(f => f.IsDeclaration || f.Blocks.SelectMany(b => b.Instructions).Any(StoresShared)).ToArray();
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

    static bool StoresShared(Instruction i) =>
        i.Op is Opcode.StoreField or Opcode.StoreElement or Opcode.StoreIndirect && i.TargetType is { IsCounted: true };
}
