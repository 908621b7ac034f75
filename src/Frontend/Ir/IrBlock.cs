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

    /// <summary>
    /// Where an exception raised in this block goes: the first block of the handlers of the innermost
    /// try around it (a block without parameters, which reads the exception with <see cref="Opcode.Catches"/>),
    /// or null when it leaves the function. An edge of the control-flow graph like a terminator's.
    /// </summary>
    public BlockId? Handler { get; set; }

    public List<Instruction> Instructions { get; } = [];

    public Instruction? Terminator =>
        Instructions.Count > 0 && OpcodeInfo.IsTerminator(Instructions[^1].Op) ? Instructions[^1] : null;
}
