using System.Reflection.Emit;

namespace Targets.Frontend.Il;

/// <summary>
/// One decoded IL instruction. <see cref="Operand"/> holds the inline operand widened to 64 bits
/// (tokens, integers, local/argument indices, and for floats their bit pattern); branches hold
/// their absolute target offsets in <see cref="Targets"/>.
/// </summary>
public sealed record IlInstruction(int Offset, int Size, OpCode OpCode, long Operand, int[] Targets)
{
    public int Next => Offset + Size;

    public int Token => (int)Operand;

    public double Float64 => BitConverter.Int64BitsToDouble(Operand);

    public float Float32 => BitConverter.Int32BitsToSingle((int)Operand);

    public override string ToString() => $"IL_{Offset:x4}: {OpCode.Name}";
}
