using System.Reflection;
using Targets.Frontend.Diagnostics;
using Targets.Frontend.Ir;

namespace Targets.Frontend;

/// <summary>
/// The entry of a method compiled for the functions the host passes it (<see cref="FunctionArguments"/>):
/// it takes the method's other parameters, in order, and calls the method's specialisation with each
/// function's value in its place. Those values hold no data (the host passes static methods and lambdas
/// that capture nothing), so they are constants, and the call — a straight one — is inlined by the
/// passes that follow. Its <see cref="IrFunction.Method"/> is the method's, so the host sees the
/// method's declared types for the parameters it keeps.
/// </summary>
public static class BoundEntry
{
    /// <summary>The wrapper of <paramref name="method"/>'s specialisation, which is function <paramref name="index"/> of <paramref name="module"/>.</summary>
    public static IrFunction Build(IrModule module, MethodBase method, int index)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(method);
        IrFunction target = module.Functions[index];
        List<IrType> kept = target.ParameterTypes.Where(p => p.Aggregate?.Function is null).ToList();
        var f = new IrFunction(target.Name + ".bound", target.ReturnType, kept) { Method = method };
        f.Slots.AddRange(kept);
        SourceLocation at = SourceLocator.For(method).Locate(0);
        var w = new BlockWriter(f, f.NewBlock(0), at);
        w.StoreParameters();
        var arguments = new List<ValueId>();
        int next = 0;
        foreach (IrType parameter in target.ParameterTypes)
            arguments.Add(parameter.Aggregate?.Function is null ? w.LoadSlot(next++) : w.Const(parameter, 0));
        ValueId result = w.Append(Opcode.Call, target.ReturnType.StackType, [.. arguments], i => { i.Callee = index; return i; });
        if (target.ReturnType == IrType.Void)
            w.Return();
        else
            w.Return(result);
        return f;
    }
}
