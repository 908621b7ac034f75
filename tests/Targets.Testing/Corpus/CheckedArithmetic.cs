using System;

namespace Corpus;

// checked/unchecked expressions and blocks: add.ovf, sub.ovf, mul.ovf and their .un forms, checked
// negation, checked compound assignment and ++, and unchecked islands inside checked code.
public static class CheckedArithmetic
{
    public static int AddInt32(int a, int b) => checked(a + b);
    public static int SubInt32(int a, int b) => checked(a - b);
    public static int MulInt32(int a, int b) => checked(a * b);
    public static int NegInt32(int a) => checked(-a);
    public static uint AddUInt32(uint a, uint b) => checked(a + b);
    public static uint SubUInt32(uint a, uint b) => checked(a - b);
    public static uint MulUInt32(uint a, uint b) => checked(a * b);
    public static long AddInt64(long a, long b) => checked(a + b);
    public static long MulInt64(long a, long b) => checked(a * b);
    public static long SubInt64(long a, long b) => checked(a - b);
    public static ulong AddUInt64(ulong a, ulong b) => checked(a + b);
    public static ulong MulUInt64(ulong a, ulong b) => checked(a * b);
    public static ulong SubUInt64(ulong a, ulong b) => checked(a - b);
    public static nint MulNInt(nint a, nint b) => checked(a * b);
    public static nuint AddNUInt(nuint a, nuint b) => checked(a + b);
    public static int DivInt32(int a, int b) => checked(a / b);

    public static byte AddByte(byte a, byte b) => checked((byte)(a + b));
    public static short MulInt16(short a, short b) => checked((short)(a * b));
    public static sbyte SubSByte(sbyte a, sbyte b) => checked((sbyte)(a - b));

    public static byte CompoundByte(byte a, byte b)
    {
        checked
        {
            a += b;
            a++;
            return a;
        }
    }

    public static int CheckedIncrementLoop(int start, int count)
    {
        count &= 63;
        int x = start;
        checked
        {
            for (int i = 0; i < count; i++)
                x++;
        }
        return x;
    }

    public static int UncheckedInsideChecked(int a, int b)
    {
        checked
        {
            int wrapped = unchecked(a * b);
            int sum = unchecked(wrapped + a);
            return sum / 2 + (b & 0xff);
        }
    }

    public static long Factorial(int n)
    {
        n &= 31;
        long r = 1;
        checked
        {
            for (int i = 2; i <= n; i++)
                r *= i;
        }
        return r;
    }

    public static int FactorialInt32(int n)
    {
        n &= 15;
        int r = 1;
        for (int i = 2; i <= n; i++)
            r = checked(r * i);
        return r;
    }

    public static long CheckedPower(long b, int e)
    {
        e &= 63;
        long r = 1;
        while (e-- > 0)
            r = checked(r * b);
        return r;
    }

    public static int CheckedSumOfArray(int[] a)
    {
        int s = 0;
        foreach (int v in a)
            s = checked(s + v);
        return s;
    }

    public static ulong CheckedSumOfUInt64Array(ulong[] a)
    {
        ulong s = 0;
        checked
        {
            for (int i = 0; i < a.Length; i++)
                s += a[i];
        }
        return s;
    }

    public static int CheckedNarrowingOfSum(long a, long b) => checked((int)(a + b));
    public static uint CheckedAbsDifference(int a, int b) => a > b ? checked((uint)(a - b)) : checked((uint)(b - a));
    public static int CheckedMixedSigned(uint a, int b) => checked((int)a + b);
    public static double CheckedDoesNotAffectFloats(double a, double b) => checked(a * b + a);
}
