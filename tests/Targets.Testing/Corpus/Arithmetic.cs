using System;

namespace Corpus;

// Integer and floating-point arithmetic: every operator, every width, wrap-around, compound
// assignment, ++/--, promotion of small types, and the two implicit exceptions of division.
public static class Arithmetic
{
    public static int AddInt32(int a, int b) => a + b;
    public static int SubInt32(int a, int b) => a - b;
    public static int MulInt32(int a, int b) => a * b;
    public static int DivInt32(int a, int b) => a / b;
    public static int RemInt32(int a, int b) => a % b;
    public static int NegInt32(int a) => -a;

    public static long AddInt64(long a, long b) => a + b;
    public static long MulInt64(long a, long b) => a * b;
    public static long DivInt64(long a, long b) => a / b;
    public static long RemInt64(long a, long b) => a % b;
    public static long NegInt64(long a) => -a;

    public static uint DivUInt32(uint a, uint b) => a / b;
    public static uint RemUInt32(uint a, uint b) => a % b;
    public static uint SubUInt32(uint a, uint b) => a - b;
    public static ulong DivUInt64(ulong a, ulong b) => a / b;
    public static ulong RemUInt64(ulong a, ulong b) => a % b;
    public static ulong MulUInt64(ulong a, ulong b) => a * b;

    // Small types promote to int; the cast back truncates.
    public static byte AddByte(byte a, byte b) => (byte)(a + b);
    public static sbyte MulSByte(sbyte a, sbyte b) => (sbyte)(a * b);
    public static short SubInt16(short a, short b) => (short)(a - b);
    public static ushort MulUInt16(ushort a, ushort b) => (ushort)(a * b);
    public static int DivSByte(sbyte a, sbyte b) => a / b;
    public static int RemInt16(short a, short b) => a % b;
    public static int PromotedByteProduct(byte a, byte b) => a * b;

    public static byte CompoundByte(byte a, byte b)
    {
        a += b;
        a *= 3;
        a -= 7;
        a /= (byte)(b | 1);
        a %= 200;
        return a;
    }

    public static short CompoundInt16(short a, short b)
    {
        a += b;
        a <<= 3;
        a -= b;
        a ^= 0x5555;
        return a;
    }

    public static int IncrementsAndDecrements(int a)
    {
        int x = a;
        int y = x++;
        int z = ++x;
        int w = x--;
        --x;
        return x * 31 + y * 17 + z * 7 + w;
    }

    public static long IncrementsOnSmallTypes(byte b, sbyte s, ushort u, char c)
    {
        b++;
        s--;
        u++;
        c++;
        ++b;
        --s;
        return b + s * 256L + u * 65536L + c * 4294967296L;
    }

    public static nint AddNInt(nint a, nint b) => a + b;
    public static nint MulNInt(nint a, nint b) => a * b;
    public static nint DivNInt(nint a, nint b) => a / b;
    public static nint RemNInt(nint a, nint b) => a % b;
    public static nuint DivNUInt(nuint a, nuint b) => a / b;
    public static nuint SubNUInt(nuint a, nuint b) => a - b;
    public static nint MixedNIntAndInt(nint a, int b) => a * b + b;

    public static int CharArithmetic(char c, int k) => c + k;
    public static char NextLetter(char c) => (char)(c + 1);
    public static int CharDifference(char a, char b) => a - b;

    public static float AddSingle(float a, float b) => a + b;
    public static float SubSingle(float a, float b) => a - b;
    public static float MulSingle(float a, float b) => a * b;
    public static float DivSingle(float a, float b) => a / b;
    public static float RemSingle(float a, float b) => a % b;
    public static float NegSingle(float a) => -a;
    public static double AddDouble(double a, double b) => a + b;
    public static double SubDouble(double a, double b) => a - b;
    public static double MulDouble(double a, double b) => a * b;
    public static double DivDouble(double a, double b) => a / b;
    public static double RemDouble(double a, double b) => a % b;
    public static double NegDouble(double a) => -a;
    public static double UnaryPlusAndMinus(double a) => +a - -a;

    public static double MixedIntAndDouble(int a, double b) => a * b + a / 3 + b / 3;
    public static float MixedLongAndSingle(long a, float b) => a + b;
    public static double SingleWidenedToDouble(float a, float b) => (double)a * b;

    public static double Horner(double x) => ((((3.0 * x - 2.0) * x + 0.5) * x - 7.25) * x + 1.0);

    public static float CompoundSingle(float a, float b)
    {
        a += b;
        a *= 1.5f;
        a -= b / 3f;
        a /= 2f;
        a %= 7f;
        return a;
    }

    public static int AverageWithoutOverflow(int a, int b) => (a & b) + ((a ^ b) >> 1);

    public static long Int32ProductInInt64(int a, int b) => (long)a * b;
    public static ulong UInt32ProductInUInt64(uint a, uint b) => (ulong)a * b;

    public static int ModularSum(int a, int b, int m)
    {
        m = (m & 0x7fff) + 1;
        return ((a % m) + (b % m)) % m;
    }

    public static int AssignToParameters(int a, int b)
    {
        a = a * 2 + 1;
        b -= a;
        a = b * a;
        return a + b;
    }

    public static int ConstantsOfEveryShape(int a) =>
        a * 0 + a * 1 + a * -1 + a * 8 + a * 127 + a * 128 + a * -129 + a * 100000 + 2147483647;

    public static long Int64Constants(long a) => a * 0x1234_5678_9abcL + unchecked((long)0xfedc_ba98_7654_3210UL);

    public static int UncheckedBlock(int a, int b)
    {
        unchecked
        {
            int x = a * 65599 + b;
            x += int.MaxValue;
            return x - int.MinValue;
        }
    }

    public static int SizeOfDefaultAndConstants(int a)
    {
        const int Shift = 3;
        int d = default;
        long l = default(long);
        return a * sizeof(long) + sizeof(char) + sizeof(double) + d + (int)l + (a << Shift) + sizeof(byte);
    }

    public static double MixedWidthExpression(sbyte a, ushort b, uint c, float d) => a * b + c / 7 + d * a - b % 9;
}
