namespace Targets.Frontend.Ir;

/// <summary>Appends instructions to a block, for passes that create code. Every instruction gets one location.</summary>
public sealed class BlockWriter(IrFunction function, IrBlock block, SourceLocation location)
{
    public IrBlock Block => block;

    public IrFunction Function => function;

    public ValueId Append(Opcode op, IrType type, ValueId[] operands, Func<Instruction, Instruction>? configure = null)
    {
        ValueId? result = type == IrType.Void ? null : function.NewValue(type);
        var instruction = new Instruction(op, type, result, operands, location);
        block.Instructions.Add(configure?.Invoke(instruction) ?? instruction);
        return result ?? default;
    }

    public ValueId Const(IrType type, long value)
    {
        ValueId? result = function.NewValue(type);
        block.Instructions.Add(new Instruction(Opcode.Const, type, result, [], location) { Constant = value });
        return result.Value;
    }

    public ValueId Null()
    {
        ValueId result = function.NewValue(IrType.Null);
        block.Instructions.Add(new Instruction(Opcode.ConstNull, IrType.Null, result, [], location));
        return result;
    }

    public ValueId LoadSlot(int slot)
    {
        ValueId result = function.NewValue(function.Slots[slot].StackType);
        block.Instructions.Add(new Instruction(Opcode.LoadSlot, function.Slots[slot].StackType, result, [], location) { Slot = slot });
        return result;
    }

    public ValueId Compare(Condition condition, ValueId a, ValueId b)
    {
        ValueId result = function.NewValue(IrType.I32);
        block.Instructions.Add(new Instruction(Opcode.Compare, IrType.I32, result, [a, b], location) { Condition = condition });
        return result;
    }

    public ValueId Convert(ValueId value, IrType to)
    {
        ValueId result = function.NewValue(to.StackType);
        block.Instructions.Add(new Instruction(Opcode.Convert, to.StackType, result, [value], location) { TargetType = to });
        return result;
    }

    /// <summary>For an entry block: one block parameter per function parameter, each stored into its slot (slots 0 … n-1), as imported functions begin.</summary>
    public void StoreParameters()
    {
        for (int p = 0; p < function.ParameterTypes.Count; p++)
        {
            ValueId parameter = function.NewValue(function.ParameterTypes[p]);
            block.Parameters.Add(parameter);
            StoreSlot(p, parameter);
        }
    }

    public void StoreSlot(int slot, ValueId value) =>
        block.Instructions.Add(new Instruction(Opcode.StoreSlot, IrType.Void, null, [value], location) { Slot = slot });

    public void Return(params ValueId[] value) =>
        block.Instructions.Add(new Instruction(Opcode.Return, IrType.Void, null, value, location));

    public void Jump(BlockId target) =>
        block.Instructions.Add(new Instruction(Opcode.Jump, IrType.Void, null, [], location) { Targets = [new BlockTarget(target, [])] });

    public void Branch(ValueId test, BlockId then, BlockId otherwise) =>
        block.Instructions.Add(new Instruction(Opcode.Branch, IrType.Void, null, [test], location)
        {
            Targets = [new BlockTarget(then, []), new BlockTarget(otherwise, [])],
        });
}
