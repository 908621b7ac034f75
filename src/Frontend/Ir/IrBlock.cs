namespace Targets.Frontend.Ir;

/// <summary>A basic block: parameters (the IL stack at entry), instructions, one terminator last.</summary>
public sealed class IrBlock
{
    public IrBlock(BlockId id, int ilOffset)
    {
        Id = id;
        IlOffset = ilOffset;
    }

    public BlockId Id { get; }

    /// <summary>The IL offset the block starts at.</summary>
    public int IlOffset { get; }

    public List<ValueId> Parameters { get; } = [];

    public List<Instruction> Instructions { get; } = [];

    public Instruction? Terminator =>
        Instructions.Count > 0 && OpcodeInfo.IsTerminator(Instructions[^1].Op) ? Instructions[^1] : null;
}
