using Targets.Frontend.Analysis;

namespace Targets.Frontend.Ir;

/// <summary>
/// Checks the invariants every pass must preserve, and reports the first broken one:
/// <list type="bullet">
/// <item>every block ends in exactly one terminator, and terminators appear only last;</item>
/// <item>every branch target exists and passes as many arguments as the block has parameters,
/// each assignable to the parameter's type;</item>
/// <item>every value is defined exactly once (as a block parameter or an instruction result), with
/// the type the function records for it, and every use is dominated by its definition (uses in
/// blocks the entry cannot reach are not checked, as in LLVM);</item>
/// <item>every instruction keeps its opcode's <see cref="OperandRules">rule</see>: operand count,
/// operand and result types, the immediates it needs (slots, callees, fields, element types);</item>
/// <item>function metadata names what exists: a parallel loop's body function, Prange cursor slots.</item>
/// </list>
/// A failure is an <see cref="InvalidOperationException"/> naming the function, the block, the
/// rule broken, and printing the function.
/// </summary>
public static class IrVerifier
{
    public static void Verify(IrModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (IrFunction f in module.Functions)
        {
            if (!f.IsDeclaration)
                Verify(module, f);
        }
    }

    static void Verify(IrModule module, IrFunction f)
    {
        (int Block, int Position)[] definitions = Definitions(f);
        if (f.Entry.Parameters.Count != f.ParameterTypes.Count)
            Fail(f, f.Entry, "the entry block's parameters differ from the method's");
        for (int p = 0; p < f.ParameterTypes.Count; p++)
        {
            if (f.TypeOf(f.Entry.Parameters[p]) != f.ParameterTypes[p])
                Fail(f, f.Entry, $"parameter {p} is {f.TypeOf(f.Entry.Parameters[p])}, the function's is {f.ParameterTypes[p]}");
        }
        Metadata(module, f);
        foreach (IrBlock block in f.Blocks)
        {
            // An exception arrives at a handler with nothing on the stack: it takes no parameters.
            if (block.Handler is { } handler && (handler.Index < 0 || handler.Index >= f.Blocks.Count || f.Blocks[handler.Index].Parameters.Count > 0))
                Fail(f, block, $"its handler {handler} is not a block without parameters");
        }
        var cfg = new ControlFlowGraph(f);
        var dominators = new DominatorTree(cfg);
        var reachable = new bool[f.Blocks.Count];
        foreach (int b in cfg.ReversePostorder())
            reachable[b] = true;

        foreach (IrBlock block in f.Blocks)
        {
            if (block.Instructions.Count == 0 || block.Terminator is null)
                Fail(f, block, "does not end in a terminator");
            for (int n = 0; n < block.Instructions.Count; n++)
            {
                Instruction i = block.Instructions[n];
                if (OpcodeInfo.IsTerminator(i.Op) && n != block.Instructions.Count - 1)
                    Fail(f, block, $"terminator {i.Op} before the end of the block");
                void Use(ValueId value)
                {
                    if (value.Index < 0 || value.Index >= definitions.Length || definitions[value.Index].Block < 0)
                        Fail(f, block, $"{i.Op} uses undefined {value}");
                    (int defBlock, int position) = definitions[value.Index];
                    bool dominated = defBlock == block.Id.Index ? position < n : dominators.Dominates(defBlock, block.Id.Index);
                    if (reachable[block.Id.Index] && !dominated)
                        Fail(f, block, $"{i.Op} uses {value}, whose definition in block{defBlock} does not dominate it");
                }
                foreach (ValueId operand in i.Operands)
                    Use(operand);
                foreach (BlockTarget target in i.Targets)
                {
                    foreach (ValueId argument in target.Arguments)
                        Use(argument);
                }
                Rule(module, f, block, i);
                Targets(f, block, i);
            }
        }
    }

    /// <summary>Where each value is defined: its block, and its position there (-1 for a block parameter); -1, -1 when nowhere.</summary>
    static (int Block, int Position)[] Definitions(IrFunction f)
    {
        var definitions = new (int Block, int Position)[f.ValueTypes.Count];
        Array.Fill(definitions, (-1, -1));
        void Define(ValueId v, IrBlock block, int position)
        {
            if (v.Index < 0 || v.Index >= definitions.Length)
                Fail(f, block, $"{v} is not a value of the function");
            if (definitions[v.Index].Block >= 0)
                Fail(f, block, $"{v} is defined twice");
            definitions[v.Index] = (block.Id.Index, position);
        }
        foreach (IrBlock block in f.Blocks)
        {
            foreach (ValueId p in block.Parameters)
                Define(p, block, -1);
            for (int n = 0; n < block.Instructions.Count; n++)
            {
                if (block.Instructions[n].Result is { } r)
                    Define(r, block, n);
            }
        }
        return definitions;
    }

    static void Rule(IrModule module, IrFunction f, IrBlock block, Instruction i)
    {
        OperandRule rule = OperandRules.Of(i.Op);
        if (i.Operands.Length < rule.MinOperands || i.Operands.Length > rule.MaxOperands)
            Fail(f, block, $"{i.Op} takes {(rule.MinOperands == rule.MaxOperands ? rule.MinOperands : $"{rule.MinOperands} to {rule.MaxOperands}")} operands, got {i.Operands.Length}");
        if ((i.Result is null) != (i.Type == IrType.Void))
            Fail(f, block, $"{i.Op} of type {i.Type} {(i.Result is null ? "has no result" : "has a result")}");
        if (i.Result is { } result && f.TypeOf(result) != i.Type)
            Fail(f, block, $"{i.Op} gives {i.Type}, but {result} is {f.TypeOf(result)}");
        if (rule.HasResult is { } hasResult && hasResult != i.Result.HasValue)
            Fail(f, block, hasResult ? $"{i.Op} without a result" : $"{i.Op} with a result");
        if (rule.Check(new TypedInstruction(module, f, i)) is { } wrong)
            Fail(f, block, $"{i.Op}: {wrong}");
    }

    static void Targets(IrFunction f, IrBlock block, Instruction i)
    {
        foreach (BlockTarget target in i.Targets)
        {
            if (target.Block.Index < 0 || target.Block.Index >= f.Blocks.Count)
                Fail(f, block, $"branch to missing {target.Block}");
            IrBlock to = f[target.Block];
            if (to.Parameters.Count != target.Arguments.Length)
                Fail(f, block, $"passes {target.Arguments.Length} arguments to {to.Id}, which takes {to.Parameters.Count}");
            for (int a = 0; a < target.Arguments.Length; a++)
            {
                IrType passed = f.TypeOf(target.Arguments[a]), expected = f.TypeOf(to.Parameters[a]);
                if (passed != expected && !(passed == IrType.Null && expected.IsReference)
                    && !(passed.Kind == IrTypeKind.Instance && expected.Kind == IrTypeKind.Instance && OperandRules.Assignable(passed, expected)))
                    Fail(f, block, $"passes {passed} to {to.Id}'s parameter of type {expected}");
            }
        }
    }

    static void Metadata(IrModule module, IrFunction f)
    {
        if (f.ParallelLoop is { } loop && (loop.Body < 0 || loop.Body >= module.Functions.Count))
            Fail(f, f.Entry, $"its parallel loop's body #{loop.Body} is not a function of the module");
        foreach ((int cursor, (int end, _, _)) in f.PrangeCursors)
        {
            if (cursor < 0 || end + 1 >= f.Slots.Count)
                Fail(f, f.Entry, $"a Prange loop's cursor s{cursor} (end s{end}, step s{end + 1}) names missing slots");
        }
    }

    static void Fail(IrFunction f, IrBlock block, string message) =>
        throw new InvalidOperationException($"IR verifier: {f.Name} {block.Id}: {message}\n{IrPrinter.Print(f)}");
}
