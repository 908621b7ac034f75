using System.Reflection;

namespace Targets.Frontend.Ir;

/// <summary>
/// One compiled .NET method: its slots (arguments first, then locals), blocks (block 0 is the
/// entry, whose parameters are the method's arguments), and the type of every value.
/// </summary>
public sealed class IrFunction
{
    public IrFunction(MethodInfo method, string name, IrType returnType, IReadOnlyList<IrType> parameterTypes)
    {
        Method = method;
        Name = name;
        ReturnType = returnType;
        ParameterTypes = parameterTypes;
    }

    public MethodInfo Method { get; }

    /// <summary>A symbol name unique within the module.</summary>
    public string Name { get; }

    public IrType ReturnType { get; }

    public IReadOnlyList<IrType> ParameterTypes { get; }

    /// <summary>Types of slots: arguments, then IL locals.</summary>
    public List<IrType> Slots { get; } = [];

    public List<IrBlock> Blocks { get; } = [];

    public List<IrType> ValueTypes { get; } = [];

    public IrBlock Entry => Blocks[0];

    public ValueId NewValue(IrType type)
    {
        ValueTypes.Add(type);
        return new ValueId(ValueTypes.Count - 1);
    }

    public IrType TypeOf(ValueId value) => ValueTypes[value.Index];

    public IrBlock NewBlock(int ilOffset)
    {
        var block = new IrBlock(new BlockId(Blocks.Count), ilOffset);
        Blocks.Add(block);
        return block;
    }

    public IrBlock this[BlockId id] => Blocks[id.Index];
}
