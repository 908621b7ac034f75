using System;

namespace Corpus;

// Enums of every underlying type as parameters, locals, array elements and struct fields; switch
// over them, comparisons, casts both ways, [Flags] operators and HasFlag (which C# compiles to two
// boxes and a call).
public enum Op : byte { Add, Multiply, Maximum, Minimum }

public enum Tiny : sbyte { Low = -100, Zero = 0, High = 100 }

public enum Wide : long { Small = 1, Huge = long.MaxValue, Negative = long.MinValue }

public enum Unsigned : ulong { None = 0, Top = ulong.MaxValue }

public enum Half : short { A = -3, B = 7 }

public enum UHalf : ushort { A = 1, B = 65535 }

public enum Plain { Red, Green, Blue }

public enum UPlain : uint { One = 1, Big = 4000000000 }

[Flags]
public enum Access
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
    All = Read | Write | Execute,
}

public struct Tagged
{
    public Plain Color;
    public int Value;
}

public static class Enums
{
    [Helper]
    public static int Fold(int[] values, Op op)
    {
        int acc = op == Op.Multiply ? 1 : op == Op.Minimum ? int.MaxValue : op == Op.Maximum ? int.MinValue : 0;
        foreach (int v in values)
        {
            acc = op switch
            {
                Op.Add => acc + v,
                Op.Multiply => acc * v,
                Op.Maximum => Math.Max(acc, v),
                _ => Math.Min(acc, v),
            };
        }
        return acc;
    }

    public static int FoldEach(int[] values)
    {
        int total = 0;
        for (int o = 0; o < 4; o++)
            total = total * 31 + Fold(values, (Op)o);
        return total;
    }

    public static int Casts(int x)
    {
        var op = (Op)(x & 3);
        var tiny = (Tiny)x;
        var plain = (Plain)(x % 3);
        return (int)op * 1000 + (int)tiny + (plain == Plain.Blue ? 7 : 0) + (op > Op.Multiply ? 11 : 0);
    }

    public static long EveryUnderlyingType(long x)
    {
        Wide w = x > 0 ? Wide.Huge : Wide.Negative;
        Unsigned u = x == 0 ? Unsigned.None : Unsigned.Top;
        Half h = (Half)(short)x;
        UHalf uh = (UHalf)(ushort)x;
        UPlain up = (UPlain)(uint)x;
        return (long)w / 1000 + (long)(ulong)u / 3 + (long)h + (long)uh + (long)up;
    }

    public static int Flags(int bits)
    {
        var access = (Access)(bits & 7);
        Access granted = access | Access.Read;
        Access without = granted & ~Access.Write;
        int score = granted.HasFlag(Access.Write) ? 100 : 0;
        score += without.HasFlag(Access.Read | Access.Execute) ? 10 : 0;
        score += (access & Access.All) == Access.All ? 1 : 0;
        return score + (int)without;
    }

    public static int ArraysOfEnums(int n)
    {
        n &= 63;
        var colors = new Plain[n];
        for (int i = 0; i < n; i++)
            colors[i] = (Plain)(i % 3);
        int blues = 0;
        foreach (Plain c in colors)
        {
            switch (c)
            {
                case Plain.Blue:
                    blues += 2;
                    break;
                case Plain.Green:
                    blues--;
                    break;
            }
        }
        return blues;
    }

    public static int EnumInStruct(int value, int color)
    {
        var t = new Tagged { Color = (Plain)(color & 3), Value = value };
        return t.Color switch { Plain.Red => t.Value, Plain.Green => -t.Value, Plain.Blue => t.Value * 2, _ => 0 };
    }
}
