using System.Globalization;
using System.Text;

namespace Targets.Frontend.Ir;

/// <summary>
/// Writes IR as deterministic text: one function after another, values and blocks numbered per
/// function, each instruction followed by its source location (and a refcount's reason) as a
/// comment. <see cref="IrParser"/> reads it back: print, parse, print gives the same text.
/// </summary>
public static class IrPrinter
{
    public static string Print(IrModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var text = new StringBuilder();
        foreach (IrType aggregate in Aggregates(module))
            text.Append(CultureInfo.InvariantCulture, $"type {aggregate} = {aggregate.Aggregate}\n");
        if (text.Length > 0)
            text.Append('\n');
        foreach (IrFunction function in module.Functions)
            Print(module, function, text);
        return text.ToString();
    }

    /// <summary>The aggregates the module's functions name, each after the aggregates its fields hold (so the parser meets them in order).</summary>
    static List<IrType> Aggregates(IrModule module)
    {
        var ordered = new List<IrType>();
        void Add(IrType? type)
        {
            while (type?.Element is { } element)
                type = element;
            if (type?.Aggregate is not { } layout || ordered.Contains(type))
                return;
            foreach (AggregateField field in layout.Fields)
                Add(field.Type);
            ordered.Add(type);
        }
        foreach (IrType type in module.NamedTypes())
            Add(type);
        return ordered;
    }

    /// <summary>One function; without its module, callees print as <c>#index</c>.</summary>
    public static string Print(IrFunction function)
    {
        var text = new StringBuilder();
        Print(null, function, text);
        return text.ToString();
    }

    static void Print(IrModule? module, IrFunction f, StringBuilder text)
    {
        if (f.IsDeclaration)
        {
            text.Append(CultureInfo.InvariantCulture, $"declare {f.Name}({string.Join(", ", f.ParameterTypes)}) -> {f.ReturnType} ; compiled when first called\n");
            return;
        }
        text.Append(CultureInfo.InvariantCulture, $"function {f.Name}({string.Join(", ", f.ParameterTypes)}) -> {f.ReturnType}\n");
        if (f.IsConstructor)
            text.Append("  constructor\n");
        if (f.IsDispatch)
            text.Append("  dispatch\n");
        text.Append("  slots:");
        for (int i = 0; i < f.Slots.Count; i++)
            text.Append(CultureInfo.InvariantCulture, $" s{i}:{f.Slots[i]}");
        text.Append('\n');
        Metadata(module, f, text);
        foreach (IrBlock block in f.Blocks)
        {
            text.Append(block.Id).Append('(');
            text.Append(string.Join(", ", block.Parameters.Select(p => $"{p}: {f.TypeOf(p)}")));
            text.Append(')');
            if (block.Handler is { } handler)
                text.Append(" handler ").Append(handler);
            text.Append(":\n");
            foreach (Instruction instruction in block.Instructions)
            {
                string line = Format(module, f, instruction);
                text.Append("  ").Append(line.PadRight(48)).Append(" ; ").Append(instruction.Location);
                if (instruction.Reason is { } reason)
                    text.Append(" (").Append(reason).Append(')');
                text.Append('\n');
            }
        }
        text.Append('\n');
    }

    /// <summary>
    /// What a function carries beside its code, one line each when present: borrowed slots, slot
    /// names, the parallel loop it dispatches, its Prange loops and the disjoint ones.
    /// </summary>
    static void Metadata(IrModule? module, IrFunction f, StringBuilder text)
    {
        if (f.BorrowedSlots.Count > 0)
            text.Append("  borrowed:").Append(string.Concat(f.BorrowedSlots.Order().Select(s => $" s{s}"))).Append('\n');
        if (f.SlotNames.Count > 0)
            text.Append("  names: ").AppendJoin(", ", f.SlotNames.OrderBy(n => n.Key).Select(n => $"s{n.Key} {n.Value}")).Append('\n');
        if (f.ParallelLoop is { } loop)
        {
            string body = module is null || loop.Body >= module.Functions.Count ? "#" + loop.Body : module.Functions[loop.Body].Name;
            string reductions = string.Join(", ", loop.Reductions.Select(r => $"{r.Op.ToString().ToLowerInvariant()} {r.Type}"));
            text.Append(CultureInfo.InvariantCulture, $"  parallel: body {body}, captures {loop.Captures}, reductions [{reductions}] at {loop.Location}\n");
        }
        if (f.PrangeCursors.Count > 0)
        {
            text.Append("  prange: ").AppendJoin(", ", f.PrangeCursors.OrderBy(c => c.Key)
                .Select(c => $"s{c.Key} end s{c.Value.EndSlot} at {c.Value.Location}{(c.Value.WritesVouched ? " vouched" : "")}")).Append('\n');
        }
        if (f.DisjointPrangeLoops.Count > 0)
            text.Append("  disjoint:").Append(string.Concat(f.DisjointPrangeLoops.Order().Select(o => $" IL_{o:x4}"))).Append('\n');
    }

    static string Format(IrModule? module, IrFunction function, Instruction i)
    {
        string name = Name(i.Op);
        string operands = string.Join(", ", i.Operands);
        string body = i.Op switch
        {
            Opcode.Const when i.Type.IsFloat => $"{name}.{i.Type} {i.FloatConstant.ToString("R", CultureInfo.InvariantCulture)}",
            Opcode.Const => $"{name}.{i.Type} {i.Constant}",
            Opcode.ConstNull => name,
            Opcode.LoadSlot or Opcode.SlotAddress => $"{name} s{i.Slot}",
            Opcode.StoreSlot => $"{name} s{i.Slot}, {operands}",
            Opcode.Compare => $"{name}.{i.Condition.ToString().ToLowerInvariant()} {operands}",
            Opcode.Convert => $"{name}{(i.Checked ? ".ovf" : "")}{(i.SourceUnsigned ? ".un" : "")} {operands} to {i.TargetType}",
            Opcode.Call => $"{name} {(module is null ? "#" + i.Callee : module.Functions[i.Callee].Name)}({operands})",
            Opcode.MathCall => $"{name}.{i.TargetType} {i.Math}({operands})",
            Opcode.LoadElement or Opcode.StoreElement or Opcode.ElementAddress
                => $"{name}{(i.BoundsChecked ? "" : ".unchecked")}.{i.TargetType} {operands}",
            Opcode.NewArray or Opcode.LoadIndirect or Opcode.StoreIndirect => $"{name}.{i.TargetType} {operands}",
            Opcode.CastInstance => $"{name}{(i.Checked ? ".checked" : "")} {operands}",
            Opcode.Jump => $"{name} {Target(i.Targets[0])}",
            Opcode.Branch => $"{name} {operands}, {Target(i.Targets[0])}, {Target(i.Targets[1])}",
            Opcode.Switch => $"{name} {operands}, [{string.Join(", ", i.Targets[..^1].Select(Target))}], default {Target(i.Targets[^1])}",
            Opcode.Catches => $"{name}{(i.Constant == 1 ? " exactly" : "")} {i.Exception}",
            Opcode.SaveException or Opcode.RestoreException => $"{name} #{i.Constant}",
            Opcode.Raise => i.Operands.Length == 0 ? $"{name} {i.Exception}" : $"{name} {i.Exception} with {operands}",
            Opcode.LoadField or Opcode.StoreField or Opcode.FieldAddress => $"{name}.{i.TargetType} {i.Field?.DeclaringType?.Name}.{i.Field?.Name}, {operands}",
            Opcode.NewInstance => $"{name} {i.Type}",
            Opcode.ExtractMember or Opcode.MemberAddress => $"{name}.{i.TargetType} {MemberName(function, i)}, {operands}",
            Opcode.Intrinsic => $"{name}{(IntrinsicInfo.IsAtomic(i.Intrinsic) && !i.BoundsChecked ? ".unchecked" : "")} {i.Intrinsic}{(i.TargetType is null ? "" : "." + i.TargetType)}{(i.Intrinsic is IntrinsicKind.SharedArray or IntrinsicKind.ConstantArray or IntrinsicKind.FrameArray ? $"[{i.Constant}]" : "")}{(i.Intrinsic is IntrinsicKind.ConstantArray or IntrinsicKind.StaticArray ? $" {i.Field?.Name}" : "")}{(i.Text is { } text ? $" {Quoted(text)}" : "")} {operands}".TrimEnd(),
            Opcode.Simd => $"{name} {i.Simd} {operands}".TrimEnd(),
            Opcode.Add when i.NoSignedWrap => $"{name}.nsw {operands}",
            _ => $"{name} {operands}".TrimEnd(),
        };
        return i.Result is { } result ? $"{result}: {i.Type} = {body}" : body;
    }

    /// <summary>The field an aggregate instruction names, as <c>Vec3.X</c> (its operand's aggregate and the field's name).</summary>
    /// <summary>A string literal as JSON writes it: quoted, with quotes, backslashes and control characters escaped, so the line stays one line.</summary>
    static string Quoted(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    static string MemberName(IrFunction f, Instruction i)
    {
        IrType owner = f.TypeOf(i.Operands[0]);
        AggregateLayout? layout = (owner.Kind == IrTypeKind.ByRef ? owner.Element : owner)?.Aggregate;
        return layout is not null && i.Constant >= 0 && i.Constant < layout.Fields.Count ? $"{layout.Name}.{layout.Fields[(int)i.Constant].Name}" : $"#{i.Constant}";
    }

    static string Target(BlockTarget target) => $"{target.Block}({string.Join(", ", target.Arguments)})";

    static string Name(Opcode op)
    {
        var text = new StringBuilder();
        foreach (char c in op.ToString())
        {
            if (char.IsUpper(c) && text.Length > 0)
                text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
