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

    /// <summary>
    /// Every opcode, listed rather than read from <see cref="OpCodes"/>' fields by reflection: reading
    /// 226 fields that way cost ~2.5 ms of each fresh process's first decode (a cache hit's key walk
    /// decodes IL). <c>IlDecoderTests</c> checks the list against those fields.
    /// </summary>
    internal static readonly OpCode[] All =
    [
        OpCodes.Nop, OpCodes.Break, OpCodes.Ldarg_0, OpCodes.Ldarg_1, OpCodes.Ldarg_2, OpCodes.Ldarg_3, OpCodes.Ldloc_0, OpCodes.Ldloc_1,
        OpCodes.Ldloc_2, OpCodes.Ldloc_3, OpCodes.Stloc_0, OpCodes.Stloc_1, OpCodes.Stloc_2, OpCodes.Stloc_3, OpCodes.Ldarg_S,
        OpCodes.Ldarga_S, OpCodes.Starg_S, OpCodes.Ldloc_S, OpCodes.Ldloca_S, OpCodes.Stloc_S, OpCodes.Ldnull, OpCodes.Ldc_I4_M1,
        OpCodes.Ldc_I4_0, OpCodes.Ldc_I4_1, OpCodes.Ldc_I4_2, OpCodes.Ldc_I4_3, OpCodes.Ldc_I4_4, OpCodes.Ldc_I4_5, OpCodes.Ldc_I4_6,
        OpCodes.Ldc_I4_7, OpCodes.Ldc_I4_8, OpCodes.Ldc_I4_S, OpCodes.Ldc_I4, OpCodes.Ldc_I8, OpCodes.Ldc_R4, OpCodes.Ldc_R8, OpCodes.Dup,
        OpCodes.Pop, OpCodes.Jmp, OpCodes.Call, OpCodes.Calli, OpCodes.Ret, OpCodes.Br_S, OpCodes.Brfalse_S, OpCodes.Brtrue_S,
        OpCodes.Beq_S, OpCodes.Bge_S, OpCodes.Bgt_S, OpCodes.Ble_S, OpCodes.Blt_S, OpCodes.Bne_Un_S, OpCodes.Bge_Un_S, OpCodes.Bgt_Un_S,
        OpCodes.Ble_Un_S, OpCodes.Blt_Un_S, OpCodes.Br, OpCodes.Brfalse, OpCodes.Brtrue, OpCodes.Beq, OpCodes.Bge, OpCodes.Bgt, OpCodes.Ble,
        OpCodes.Blt, OpCodes.Bne_Un, OpCodes.Bge_Un, OpCodes.Bgt_Un, OpCodes.Ble_Un, OpCodes.Blt_Un, OpCodes.Switch, OpCodes.Ldind_I1,
        OpCodes.Ldind_U1, OpCodes.Ldind_I2, OpCodes.Ldind_U2, OpCodes.Ldind_I4, OpCodes.Ldind_U4, OpCodes.Ldind_I8, OpCodes.Ldind_I,
        OpCodes.Ldind_R4, OpCodes.Ldind_R8, OpCodes.Ldind_Ref, OpCodes.Stind_Ref, OpCodes.Stind_I1, OpCodes.Stind_I2, OpCodes.Stind_I4,
        OpCodes.Stind_I8, OpCodes.Stind_R4, OpCodes.Stind_R8, OpCodes.Add, OpCodes.Sub, OpCodes.Mul, OpCodes.Div, OpCodes.Div_Un,
        OpCodes.Rem, OpCodes.Rem_Un, OpCodes.And, OpCodes.Or, OpCodes.Xor, OpCodes.Shl, OpCodes.Shr, OpCodes.Shr_Un, OpCodes.Neg,
        OpCodes.Not, OpCodes.Conv_I1, OpCodes.Conv_I2, OpCodes.Conv_I4, OpCodes.Conv_I8, OpCodes.Conv_R4, OpCodes.Conv_R8, OpCodes.Conv_U4,
        OpCodes.Conv_U8, OpCodes.Callvirt, OpCodes.Cpobj, OpCodes.Ldobj, OpCodes.Ldstr, OpCodes.Newobj, OpCodes.Castclass, OpCodes.Isinst,
        OpCodes.Conv_R_Un, OpCodes.Unbox, OpCodes.Throw, OpCodes.Ldfld, OpCodes.Ldflda, OpCodes.Stfld, OpCodes.Ldsfld, OpCodes.Ldsflda,
        OpCodes.Stsfld, OpCodes.Stobj, OpCodes.Conv_Ovf_I1_Un, OpCodes.Conv_Ovf_I2_Un, OpCodes.Conv_Ovf_I4_Un, OpCodes.Conv_Ovf_I8_Un,
        OpCodes.Conv_Ovf_U1_Un, OpCodes.Conv_Ovf_U2_Un, OpCodes.Conv_Ovf_U4_Un, OpCodes.Conv_Ovf_U8_Un, OpCodes.Conv_Ovf_I_Un,
        OpCodes.Conv_Ovf_U_Un, OpCodes.Box, OpCodes.Newarr, OpCodes.Ldlen, OpCodes.Ldelema, OpCodes.Ldelem_I1, OpCodes.Ldelem_U1,
        OpCodes.Ldelem_I2, OpCodes.Ldelem_U2, OpCodes.Ldelem_I4, OpCodes.Ldelem_U4, OpCodes.Ldelem_I8, OpCodes.Ldelem_I, OpCodes.Ldelem_R4,
        OpCodes.Ldelem_R8, OpCodes.Ldelem_Ref, OpCodes.Stelem_I, OpCodes.Stelem_I1, OpCodes.Stelem_I2, OpCodes.Stelem_I4, OpCodes.Stelem_I8,
        OpCodes.Stelem_R4, OpCodes.Stelem_R8, OpCodes.Stelem_Ref, OpCodes.Ldelem, OpCodes.Stelem, OpCodes.Unbox_Any, OpCodes.Conv_Ovf_I1,
        OpCodes.Conv_Ovf_U1, OpCodes.Conv_Ovf_I2, OpCodes.Conv_Ovf_U2, OpCodes.Conv_Ovf_I4, OpCodes.Conv_Ovf_U4, OpCodes.Conv_Ovf_I8,
        OpCodes.Conv_Ovf_U8, OpCodes.Refanyval, OpCodes.Ckfinite, OpCodes.Mkrefany, OpCodes.Ldtoken, OpCodes.Conv_U2, OpCodes.Conv_U1,
        OpCodes.Conv_I, OpCodes.Conv_Ovf_I, OpCodes.Conv_Ovf_U, OpCodes.Add_Ovf, OpCodes.Add_Ovf_Un, OpCodes.Mul_Ovf, OpCodes.Mul_Ovf_Un,
        OpCodes.Sub_Ovf, OpCodes.Sub_Ovf_Un, OpCodes.Endfinally, OpCodes.Leave, OpCodes.Leave_S, OpCodes.Stind_I, OpCodes.Conv_U,
        OpCodes.Prefix7, OpCodes.Prefix6, OpCodes.Prefix5, OpCodes.Prefix4, OpCodes.Prefix3, OpCodes.Prefix2, OpCodes.Prefix1,
        OpCodes.Prefixref, OpCodes.Arglist, OpCodes.Ceq, OpCodes.Cgt, OpCodes.Cgt_Un, OpCodes.Clt, OpCodes.Clt_Un, OpCodes.Ldftn,
        OpCodes.Ldvirtftn, OpCodes.Ldarg, OpCodes.Ldarga, OpCodes.Starg, OpCodes.Ldloc, OpCodes.Ldloca, OpCodes.Stloc, OpCodes.Localloc,
        OpCodes.Endfilter, OpCodes.Unaligned, OpCodes.Volatile, OpCodes.Tailcall, OpCodes.Initobj, OpCodes.Constrained, OpCodes.Cpblk,
        OpCodes.Initblk, OpCodes.Rethrow, OpCodes.Sizeof, OpCodes.Refanytype, OpCodes.Readonly,
    ];

    static IlDecoder()
    {
        foreach (OpCode op in All)
        {
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
