using System;

namespace Corpus;

// switch statements and expressions: dense cases (IL switch / jump tables), sparse cases (compare
// trees), switches on char, byte, long and uint, goto case, when clauses, relational patterns.
public static class Switches
{
    public static int DenseSwitch(int x)
    {
        switch (x)
        {
            case 0: return 10;
            case 1: return 11;
            case 2: return 13;
            case 3: return 17;
            case 4: return 19;
            case 5: return 23;
            case 6: return 29;
            case 7: return 31;
            default: return -1;
        }
    }

    public static int DenseSwitchWithOffset(int x)
    {
        int r = 0;
        switch (x)
        {
            case 100:
                r = 1;
                break;
            case 101:
            case 102:
                r = 2;
                break;
            case 103:
                r = 3;
                goto case 105;
            case 104:
                r = 4;
                break;
            case 105:
                r += 50;
                break;
            default:
                r = -x;
                break;
        }
        return r;
    }

    public static int SparseSwitch(int x) => x switch
    {
        -1000000 => 1,
        -7 => 2,
        0 => 3,
        42 => 4,
        1000 => 5,
        65536 => 6,
        int.MaxValue => 7,
        int.MinValue => 8,
        _ => 0,
    };

    public static int SwitchOnChar(char c)
    {
        switch (c)
        {
            case 'a': case 'e': case 'i': case 'o': case 'u':
                return 1;
            case 'y':
                return 2;
            case ' ':
                return 3;
            case '\uffff':
                return 4;
            default:
                return c >= '0' && c <= '9' ? 5 : 0;
        }
    }

    public static long SwitchOnInt64(long x) => x switch
    {
        0 => 1,
        1 => 2,
        2 => 3,
        3 => 5,
        0x1_0000_0000 => 8,
        long.MinValue => 13,
        -1 => 21,
        _ => x / 2,
    };

    public static int SwitchOnByte(byte b) => b switch
    {
        0 => 0,
        1 or 2 or 3 => 1,
        >= 4 and < 16 => 2,
        255 => 3,
        _ => 4,
    };

    public static uint SwitchOnUInt32(uint x)
    {
        switch (x)
        {
            case 0: return 5;
            case 1: return 6;
            case 2: return 7;
            case 0x8000_0000: return 8;
            case uint.MaxValue: return 9;
            default: return x & 0xf;
        }
    }

    public static int RelationalSwitchExpression(double x) => x switch
    {
        < -100 => -2,
        < 0 => -1,
        0 => 0,
        <= 100 => 1,
        > 100 => 2,
        double.NaN => 99,
    };

    public static int SwitchWithWhen(int x, int y)
    {
        switch (x & 7)
        {
            case 0 when y > 0:
                return 1;
            case 0:
                return 2;
            case 1 when y % 2 == 0:
            case 2 when y % 3 == 0:
                return 3;
            case 3:
            case 4:
                return y & 15;
            default:
                return -1;
        }
    }

    public static int SwitchInLoop(int n)
    {
        n &= 255;
        int acc = 0;
        for (int i = 0; i < n; i++)
        {
            switch (i % 5)
            {
                case 0:
                    acc += 1;
                    break;
                case 1:
                    acc *= 2;
                    acc &= 0xffff;
                    break;
                case 2:
                    continue;
                case 3:
                    acc -= 3;
                    break;
                default:
                    acc ^= i;
                    break;
            }
            acc += i;
        }
        return acc;
    }

    public static int DaysInMonth(int month, int year)
    {
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return month switch
        {
            1 or 3 or 5 or 7 or 8 or 10 or 12 => 31,
            4 or 6 or 9 or 11 => 30,
            2 => leap ? 29 : 28,
            _ => 0,
        };
    }

    public static double SwitchExpressionDoubles(int op, double a, double b) => (op & 3) switch
    {
        0 => a + b,
        1 => a - b,
        2 => a * b,
        _ => a / b,
    };

    public static int SwitchOnSByteNegatives(sbyte s) => s switch
    {
        -128 => 1,
        -1 => 2,
        0 => 3,
        127 => 4,
        _ => s > 0 ? 5 : 6,
    };

    public static int NestedSwitch(int a, int b)
    {
        switch (a & 3)
        {
            case 0:
                switch (b & 3)
                {
                    case 0: return 0;
                    case 1: return 1;
                    default: return 2;
                }
            case 1:
                return (b & 1) switch { 0 => 10, _ => 11 };
            default:
                return 20 + (a & 3);
        }
    }
}
