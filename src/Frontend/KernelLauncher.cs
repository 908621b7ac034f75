using System.Reflection;
using Targets.Frontend.Diagnostics;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;

namespace Targets.Frontend;

/// <summary>
/// The launcher of a kernel: <c>void launch(i64 count, i32 width, i32 height, args…)</c> runs the
/// kernel once for every linear index <c>k</c> in <c>0 … count-1</c>, giving it
/// <c>X = k % width</c>, <c>Y = (k / width) % height</c>, <c>Z = k / (width·height)</c> (as many as
/// the kernel's index has). Its loop has the shape of a <see cref="Prange"/> loop and is recorded
/// as one, so a target that runs parallel loops across cores runs the launch across cores, and
/// one that does not runs it in order.
/// </summary>
public static class KernelLauncher
{
    /// <summary>Parameters before the kernel's own arguments: count, width, height.</summary>
    public const int LeadingParameters = 3;

    /// <summary>Whether the kernel's index is a <see cref="LongIndex1D"/> (extents past <see cref="int.MaxValue"/>).</summary>
    public static bool TakesLongIndex(MethodInfo kernel) => kernel?.GetParameters() is [{ ParameterType: var t }, ..] && t == typeof(LongIndex1D);

    /// <summary>Dimensions of a kernel index type (<see cref="Index1D"/>…<see cref="Index3D"/>); 0 for any other type.</summary>
    public static int IndexRank(Type type) => IlImporter.IndexRank(type);

    /// <summary>The kernel's index rank; a <see cref="CompilationException"/> when it is not a kernel.</summary>
    public static int Validate(MethodInfo kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ParameterInfo[] parameters = kernel.GetParameters();
        int rank = parameters.Length > 0 ? IlImporter.IndexRank(parameters[0].ParameterType) : 0;
        string problem = !kernel.IsStatic ? "a kernel is a static method"
            : kernel.ReturnType != typeof(void) ? "a kernel returns void"
            : rank == 0 ? "a kernel's first parameter is its index: Index1D, LongIndex1D, Index2D or Index3D"
            : parameters.Skip(1).Any(p => IlImporter.IndexRank(p.ParameterType) > 0) ? "a kernel has one index parameter, the first"
            : "";
        if (problem.Length > 0)
            throw new CompilationException(CompilationErrorKind.UnsupportedConstruct, $"{kernel.DeclaringType?.Name}.{kernel.Name}",
                "a kernel signature", -1, null, 0, problem + $"; got {kernel.ReturnType.Name}({string.Join(", ", parameters.Select(p => p.ParameterType.Name))})");
        return rank;
    }

    /// <summary>The launcher for the kernel at index 1 of <paramref name="module"/>.</summary>
    public static IrFunction Build(IrModule module, MethodInfo kernel, int rank)
    {
        ArgumentNullException.ThrowIfNull(module);
        IrFunction target = module.Functions[1];
        List<IrType> arguments = target.ParameterTypes.Skip(rank).ToList();
        var f = new IrFunction($"{target.Name}.launch", IrType.Void, [IrType.I64, IrType.I32, IrType.I32, .. arguments]);
        f.Slots.AddRange(f.ParameterTypes);
        int cursor = f.Slots.Count, end = cursor + 1, step = cursor + 2, x = cursor + 3;
        f.Slots.AddRange([IrType.I64, IrType.I64, IrType.I64, IrType.I32]);
        SourceLocation at = SourceLocator.For(kernel).Locate(0);
        f.PrangeCursors[cursor] = (end, at, WritesVouched: true);

        IrBlock entry = f.NewBlock(0), header = f.NewBlock(0), body = f.NewBlock(0), exit = f.NewBlock(0);
        var w = new BlockWriter(f, entry, at);
        w.StoreParameters();
        w.StoreSlot(cursor, w.Const(IrType.I64, -1));
        w.StoreSlot(end, w.LoadSlot(0));
        w.StoreSlot(step, w.Const(IrType.I64, 1));
        w.Jump(header.Id);

        w = new BlockWriter(f, header, at);
        ValueId next = w.Append(Opcode.Add, IrType.I64, [w.LoadSlot(cursor), w.LoadSlot(step)]);
        w.StoreSlot(cursor, next);
        w.Branch(w.Compare(Condition.LtS, next, w.LoadSlot(end)), body.Id, exit.Id);

        w = new BlockWriter(f, body, at);
        ValueId k = w.LoadSlot(cursor);
        var index = new List<ValueId>();
        if (target.ParameterTypes[0] == IrType.I64)
            index.Add(k); // a LongIndex1D is the linear index itself
        else if (rank == 1)
        {
            // A one-dimensional index is an int variable, as a Prange loop's is: the parallel
            // target then counts with it, and bounds checks on x[i] can be hoisted.
            w.StoreSlot(x, w.Convert(k, IrType.I32));
            index.Add(w.LoadSlot(x));
        }
        for (int d = 0; d < rank && rank > 1; d++)
        {
            bool last = d == rank - 1;
            ValueId extent = d == 0 ? w.Convert(w.LoadSlot(1), IrType.I64) : w.Convert(w.LoadSlot(2), IrType.I64);
            index.Add(w.Convert(last ? k : w.Append(Opcode.Rem, IrType.I64, [k, extent]), IrType.I32));
            if (!last)
                k = w.Append(Opcode.Div, IrType.I64, [k, extent]);
        }
        w.Append(Opcode.Call, IrType.Void, [.. index, .. Enumerable.Range(LeadingParameters, arguments.Count).Select(w.LoadSlot)], i => { i.Callee = 1; return i; });
        w.Jump(header.Id);

        new BlockWriter(f, exit, at).Return();
        return f;
    }
}
