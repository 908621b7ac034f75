using System;

namespace Corpus;

// Comparisons as values and as branches: signed and unsigned (clt.un/cgt.un, bge.un...), floats with
// NaN (ordered vs unordered forms), -0.0 == 0.0, bool results, and three-way compares.
public static class Comparisons
{
    public static bool LessInt32(int a, int b) => a < b;
    public static bool LessOrEqualInt32(int a, int b) => a <= b;
    public static bool GreaterInt32(int a, int b) => a > b;
    public static bool GreaterOrEqualInt32(int a, int b) => a >= b;
    public static bool EqualInt32(int a, int b) => a == b;
    public static bool NotEqualInt32(int a, int b) => a != b;
    public static bool LessUInt32(uint a, uint b) => a < b;
    public static bool GreaterOrEqualUInt32(uint a, uint b) => a >= b;
    public static bool LessInt64(long a, long b) => a < b;
    public static bool GreaterUInt64(ulong a, ulong b) => a > b;
    public static bool LessOrEqualUInt64(ulong a, ulong b) => a <= b;
    public static bool LessByte(byte a, byte b) => a < b;
    public static bool LessSByte(sbyte a, sbyte b) => a < b;
    public static bool GreaterChar(char a, char b) => a > b;
    public static bool LessNInt(nint a, nint b) => a < b;
    public static bool GreaterNUInt(nuint a, nuint b) => a > b;
    public static bool EqualBool(bool a, bool b) => a == b;

    public static bool LessDouble(double a, double b) => a < b;
    public static bool LessOrEqualDouble(double a, double b) => a <= b;
    public static bool GreaterDouble(double a, double b) => a > b;
    public static bool GreaterOrEqualDouble(double a, double b) => a >= b;
    public static bool EqualDouble(double a, double b) => a == b;
    public static bool NotEqualDouble(double a, double b) => a != b;
    public static bool NotLessDouble(double a, double b) => !(a < b);
    public static bool NotGreaterOrEqualSingle(float a, float b) => !(a >= b);
    public static bool LessSingle(float a, float b) => a < b;
    public static bool EqualSingle(float a, float b) => a == b;
    public static bool IsNaNBySelfCompare(double a) => a != a;

    // As branches (Release IL uses blt/bge.un and friends rather than clt).
    public static int BranchOnDoubles(double a, double b)
    {
        if (a < b) return 1;
        if (a > b) return 2;
        if (a == b) return 3;
        return 4;
    }

    public static int BranchOnNegatedSingles(float a, float b)
    {
        int r = 0;
        if (!(a <= b)) r |= 1;
        if (!(a > b)) r |= 2;
        if (!(a == b)) r |= 4;
        if (!(a != b)) r |= 8;
        return r;
    }

    public static int BranchOnUnsigned(uint a, uint b)
    {
        if (a <= b)
            return a == b ? 0 : -1;
        return 1;
    }

    public static int CompareInt64(long a, long b) => a < b ? -1 : a > b ? 1 : 0;
    public static int CompareUInt64(ulong a, ulong b) => a < b ? -1 : a > b ? 1 : 0;
    public static int BoolToInt(bool a) => a ? 1 : 0;
    public static int CountTrue(int a, int b, int c) => (a < b ? 1 : 0) + (b < c ? 1 : 0) + (a == c ? 1 : 0);
    public static bool ComparisonsOfComparisons(int a, int b, int c, int d) => (a < b) == (c < d);
    public static bool InRange(int x, int lo, int hi) => x >= lo && x <= hi;
    public static bool InRangeUnsignedTrick(int x, int length) => (uint)x < (uint)length;
    public static bool PatternRange(int x) => x is > 10 and < 100 or -1 or 12345;
    public static bool CharIsLetterOrDigit(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9';
    public static int MaxOfThree(int a, int b, int c) => a > b ? (a > c ? a : c) : (b > c ? b : c);
    public static double MinByTernary(double a, double b) => a < b ? a : b;
    public static bool CompareMixedSigns(int a, uint b) => a < b;
    public static bool CompareIntToDouble(int a, double b) => a < b;
    public static bool CompareLongToFloat(long a, float b) => a == b;
}
