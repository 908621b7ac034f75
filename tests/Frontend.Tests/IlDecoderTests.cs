using System.Reflection;
using System.Reflection.Emit;
using Targets.Frontend.Il;

namespace Targets.Frontend.Tests;

/// <summary>The decoder's opcode table, written out in code, is exactly the runtime's (every field of <see cref="OpCodes"/>, once each).</summary>
public sealed class IlDecoderTests
{
    [Fact]
    public void The_listed_opcodes_are_the_runtimes_opcodes()
    {
        OpCode[] runtime = [.. typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!)];
        Assert.Equal(runtime.Length, IlDecoder.All.Length);
        Assert.Equal(runtime.Length, IlDecoder.All.Distinct().Count());
        Assert.Empty(runtime.Except(IlDecoder.All).Select(op => op.Name));
    }

    [Fact]
    public void Every_opcode_decodes_to_itself()
    {
        foreach (OpCode op in IlDecoder.All)
        {
            if (op == OpCodes.Prefix1)
                continue; // 0xFE: the first byte of every two-byte opcode, never an instruction of its own
            var bytes = new List<byte>();
            if (op.Size == 2)
                bytes.Add(0xfe);
            bytes.Add(unchecked((byte)op.Value));
            int operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4, // a count of 0 targets
                _ => 4,
            };
            // A branch goes back to its own start (offset 0), the one target inside a one-instruction body.
            int back = -(bytes.Count + operand);
            bytes.AddRange(op.OperandType switch
            {
                OperandType.ShortInlineBrTarget => [unchecked((byte)(sbyte)back)],
                OperandType.InlineBrTarget => BitConverter.GetBytes(back),
                _ => new byte[operand],
            });
            List<IlInstruction> decoded = IlDecoder.Decode([.. bytes], (offset, why) => new InvalidOperationException($"{op.Name}: IL_{offset:x4}: {why}"));
            Assert.Equal(op, Assert.Single(decoded).OpCode);
        }
    }
}
