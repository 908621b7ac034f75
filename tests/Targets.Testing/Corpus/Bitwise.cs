using System;

namespace Corpus;

// Bitwise operators and shifts on every width. C# masks shift counts (& 31 for 32-bit, & 63 for
// 64-bit; small types shift as int); >>> is the unsigned shift on signed types.
public static class Bitwise
{
    public static int AndOrXorInt32(int a, int b) => (a & b) ^ ((a | b) + 3);
    public static uint NotUInt32(uint a) => ~a;
    public static int NotInt32(int a) => ~a;
    public static long BitwiseInt64(long a, long b) => (a & ~b) | (b ^ 0x0f0f_0f0f_0f0f_0f0fL);
    public static ulong BitwiseUInt64(ulong a, ulong b) => ~(a | b) ^ (a & 0xffff_0000_ffff_0000UL);
    public static byte BitwiseByte(byte a, byte b) => (byte)((a & b) | (~a & 0x0f));
    public static sbyte NotSByte(sbyte a) => (sbyte)~a;
    public static ushort XorUInt16(ushort a, ushort b) => (ushort)(a ^ b ^ 0xa5a5);
    public static char XorChar(char a, char b) => (char)(a ^ b);
    public static nint BitwiseNInt(nint a, nint b) => (a & b) | ~(a ^ b);
    public static bool BoolLogic(bool a, bool b, bool c) => (a & b) | (b ^ c) & !a;

    public static int ShlInt32(int a, int s) => a << s;
    public static int ShrInt32(int a, int s) => a >> s;
    public static int UnsignedShrInt32(int a, int s) => a >>> s;
    public static uint ShlUInt32(uint a, int s) => a << s;
    public static uint ShrUInt32(uint a, int s) => a >> s;
    public static long ShlInt64(long a, int s) => a << s;
    public static long ShrInt64(long a, int s) => a >> s;
    public static long UnsignedShrInt64(long a, int s) => a >>> s;
    public static ulong ShrUInt64(ulong a, int s) => a >> s;
    public static ulong ShlUInt64(ulong a, int s) => a << s;
    public static int ShlByte(byte a, int s) => a << s;
    public static int ShrSByte(sbyte a, int s) => a >> s;
    public static short ShlInt16Truncated(short a, int s) => (short)(a << s);
    public static int ShrChar(char c, int s) => c >> s;
    public static nint ShlNInt(nint a, int s) => a << s;
    public static nint ShrNInt(nint a, int s) => a >> s;
    public static nuint ShrNUInt(nuint a, int s) => a >> s;
    public static int ShiftByConstants(int a) => (a << 3) + (a >> 5) + (a >>> 7) + (a << 33) + (a >> 40);

    public static uint RotateLeft(uint a, int s) => (a << s) | (a >> (32 - s));
    public static ulong RotateRight64(ulong a, int s) => (a >> s) | (a << (64 - s));

    public static int PopCount(uint a)
    {
        int n = 0;
        while (a != 0)
        {
            a &= a - 1;
            n++;
        }
        return n;
    }

    public static int PopCountParallel(ulong x)
    {
        x -= (x >> 1) & 0x5555555555555555UL;
        x = (x & 0x3333333333333333UL) + ((x >> 2) & 0x3333333333333333UL);
        x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
        return (int)((x * 0x0101010101010101UL) >> 56);
    }

    public static uint ReverseBits(uint a)
    {
        uint r = 0;
        for (int i = 0; i < 32; i++)
        {
            r = (r << 1) | (a & 1);
            a >>= 1;
        }
        return r;
    }

    public static int LeadingZeros(ulong a)
    {
        if (a == 0)
            return 64;
        int n = 0;
        while ((a & 0x8000_0000_0000_0000UL) == 0)
        {
            a <<= 1;
            n++;
        }
        return n;
    }

    public static bool IsPowerOfTwo(long a) => a > 0 && (a & (a - 1)) == 0;
    public static bool Parity(uint a)
    {
        a ^= a >> 16;
        a ^= a >> 8;
        a ^= a >> 4;
        a ^= a >> 2;
        a ^= a >> 1;
        return (a & 1) != 0;
    }

    public static int CompoundShifts(int a, int s)
    {
        a <<= s;
        a >>= 2;
        a >>>= s + 1;
        a |= 0x100;
        a &= ~0x10;
        a ^= s;
        return a;
    }

    public static uint Hash(uint a, uint b)
    {
        uint h = 2166136261;
        h = (h ^ a) * 16777619;
        h = (h ^ b) * 16777619;
        h ^= h >> 15;
        h *= 0x2c1b3c6d;
        h ^= h >> 12;
        return h;
    }

    public static ulong XorShift64(ulong seed)
    {
        ulong x = seed | 1;
        for (int i = 0; i < 10; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        return x;
    }
}
