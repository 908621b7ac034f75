using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;

namespace Targets.Frontend.Il;

/// <summary>
/// Decodes a method body's IL bytes into <see cref="IlInstruction"/>s, using the runtime's own
/// opcode table (<see cref="OpCodes"/>) so no opcode can be mis-sized. Malformed IL (a truncated
/// operand, an unknown opcode) is reported through the callback, never by reading out of range.
/// </summary>
public static class IlDecoder
{
    static readonly OpCode[] OneByte = new OpCode[256];
    static readonly OpCode[] TwoByte = new OpCode[256];
    static readonly bool[] KnownOne = new bool[256];
    static readonly bool[] KnownTwo = new bool[256];

    static IlDecoder()
    {
        foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode op)
                continue;
            ushort value = unchecked((ushort)op.Value);
            if (op.Size == 1)
            {
                OneByte[value] = op;
                KnownOne[value] = true;
            }
            else
            {
                TwoByte[value & 0xff] = op;
                KnownTwo[value & 0xff] = true;
            }
        }
    }

    public static List<IlInstruction> Decode(byte[] il, Func<int, string, Exception> invalid)
    {
        var result = new List<IlInstruction>();
        int pc = 0;
        while (pc < il.Length)
        {
            int start = pc;
            OpCode op;
            byte first = il[pc++];
            if (first == 0xfe)
            {
                if (pc >= il.Length || !KnownTwo[il[pc]])
                    throw invalid(start, "unknown two-byte opcode");
                op = TwoByte[il[pc++]];
            }
            else
            {
                if (!KnownOne[first])
                    throw invalid(start, $"unknown opcode 0x{first:x2}");
                op = OneByte[first];
            }

            long operand = 0;
            int[] targets = [];
            int OperandSize(int n)
            {
                if (pc + n > il.Length)
                    throw invalid(start, $"{op.Name}: operand runs past the end of the method body");
                int at = pc;
                pc += n;
                return at;
            }
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                    {
                        int at = OperandSize(1);
                        targets = [pc + (sbyte)il[at]];
                        break;
                    }
                case OperandType.InlineBrTarget:
                    {
                        int at = OperandSize(4);
                        targets = [pc + BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(at))];
                        break;
                    }
                case OperandType.ShortInlineI:
                    operand = op == OpCodes.Ldc_I4_S ? (sbyte)il[OperandSize(1)] : il[OperandSize(1)];
                    break;
                case OperandType.ShortInlineVar:
                    operand = il[OperandSize(1)];
                    break;
                case OperandType.InlineVar:
                    operand = BinaryPrimitives.ReadUInt16LittleEndian(il.AsSpan(OperandSize(2)));
                    break;
                case OperandType.InlineI:
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineSig:
                case OperandType.InlineString:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                case OperandType.ShortInlineR:
                    operand = BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(OperandSize(4)));
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    operand = BinaryPrimitives.ReadInt64LittleEndian(il.AsSpan(OperandSize(8)));
                    break;
                case OperandType.InlineSwitch:
                    {
                        int count = BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(OperandSize(4)));
                        if (count < 0 || count > (il.Length - pc) / 4)
                            throw invalid(start, "switch: case count runs past the end of the method body");
                        int tableStart = OperandSize(4 * count);
                        targets = new int[count];
                        for (int i = 0; i < count; i++)
                            targets[i] = pc + BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(tableStart + 4 * i));
                        break;
                    }
                default:
                    throw invalid(start, $"{op.Name}: operand type {op.OperandType} is not understood");
            }
            foreach (int target in targets)
            {
                if (target < 0 || target >= il.Length)
                    throw invalid(start, $"{op.Name}: branch target IL_{target:x4} is outside the method body");
            }
            result.Add(new IlInstruction(start, pc - start, op, operand, targets));
        }
        return result;
    }
}
