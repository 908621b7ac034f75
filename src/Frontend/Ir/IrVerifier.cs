namespace Targets.Frontend.Ir;

/// <summary>
/// Checks the invariants every pass must preserve, and reports the first broken one:
/// <list type="bullet">
/// <item>every block ends in exactly one terminator, and terminators appear only last;</item>
/// <item>every branch target exists and passes as many arguments as the block has parameters,
/// of the same types;</item>
/// <item>every value is defined exactly once (as a block parameter or an instruction result) and
/// every operand is defined in the function;</item>
/// <item>slots referenced exist; calls name a function of the module with the right argument count;</item>
/// <item>constants are numbers (a reference constant is <c>const_null</c>).</item>
/// </list>
/// Not checked (yet): that definitions dominate uses — the importer produces that by construction.
/// </summary>
public static class IrVerifier
{
    public static void Verify(IrModule module)
    {
        foreach (IrFunction f in module.Functions.Where(f => !f.IsDeclaration))
            Verify(module, f);
    }

    static void Verify(IrModule module, IrFunction f)
    {
        var defined = new bool[f.ValueTypes.Count];
        void Define(ValueId v, IrBlock block)
        {
            if (v.Index < 0 || v.Index >= defined.Length)
                Fail(f, block, $"{v} is not a value of the function");
            if (defined[v.Index])
                Fail(f, block, $"{v} is defined twice");
            defined[v.Index] = true;
        }
        foreach (IrBlock block in f.Blocks)
        {
            foreach (ValueId p in block.Parameters)
                Define(p, block);
            foreach (Instruction i in block.Instructions)
            {
                if (i.Result is { } r)
                    Define(r, block);
            }
        }
        if (f.Entry.Parameters.Count != f.ParameterTypes.Count)
            Fail(f, f.Entry, "the entry block's parameters differ from the method's");

        foreach (IrBlock block in f.Blocks)
        {
            if (block.Instructions.Count == 0 || block.Terminator is null)
                Fail(f, block, "does not end in a terminator");
            for (int n = 0; n < block.Instructions.Count; n++)
            {
                Instruction i = block.Instructions[n];
                if (OpcodeInfo.IsTerminator(i.Op) && n != block.Instructions.Count - 1)
                    Fail(f, block, $"terminator {i.Op} before the end of the block");
                foreach (ValueId operand in i.Operands)
                {
                    if (operand.Index < 0 || operand.Index >= defined.Length || !defined[operand.Index])
                        Fail(f, block, $"{i.Op} uses undefined {operand}");
                }
                if (i.Op == Opcode.Const && !i.Type.IsScalar)
                    Fail(f, block, $"a constant of type {i.Type} (references are const_null)");
                if (i.Op is Opcode.LoadSlot or Opcode.StoreSlot or Opcode.SlotAddress && (i.Slot < 0 || i.Slot >= f.Slots.Count))
                    Fail(f, block, $"{i.Op} names missing slot s{i.Slot}");
                if (i.Op == Opcode.Call)
                {
                    if (i.Callee < 0 || i.Callee >= module.Functions.Count)
                        Fail(f, block, $"call to missing function #{i.Callee}");
                    if (module.Functions[i.Callee].ParameterTypes.Count != i.Operands.Length)
                        Fail(f, block, $"call to {module.Functions[i.Callee].Name} passes {i.Operands.Length} arguments");
                }
                if (i.Op == Opcode.Intrinsic && i.Operands.Length != IntrinsicInfo.Arity(i.Intrinsic))
                    Fail(f, block, $"intrinsic {i.Intrinsic} takes {IntrinsicInfo.Arity(i.Intrinsic)} operands, got {i.Operands.Length}");
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
                        if (passed != expected && !(passed == IrType.Null && expected.IsReference))
                            Fail(f, block, $"passes {passed} to {to.Id}'s parameter of type {expected}");
                    }
                }
            }
        }
    }

    static void Fail(IrFunction f, IrBlock block, string message) =>
        throw new InvalidOperationException($"IR verifier: {f.Name} {block.Id}: {message}\n{IrPrinter.Print(f)}");
}
