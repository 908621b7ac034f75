using System;

namespace Corpus;

// System.Math and System.MathF with .NET's exact results: NaN and signed-zero handling of Min/Max,
// banker's rounding, Abs of MinValue (OverflowException), Sign of NaN (ArithmeticException), Clamp.
public static class MathFunctions
{
    public static int AbsInt32(int a) => Math.Abs(a);
    public static long AbsInt64(long a) => Math.Abs(a);
    public static short AbsInt16(short a) => Math.Abs(a);
    public static sbyte AbsSByte(sbyte a) => Math.Abs(a);
    public static nint AbsNInt(nint a) => Math.Abs(a);
    public static double AbsDouble(double a) => Math.Abs(a);
    public static float AbsSingle(float a) => MathF.Abs(a);

    public static int MinInt32(int a, int b) => Math.Min(a, b);
    public static uint MaxUInt32(uint a, uint b) => Math.Max(a, b);
    public static long MinInt64(long a, long b) => Math.Min(a, b);
    public static ulong MaxUInt64(ulong a, ulong b) => Math.Max(a, b);
    public static byte MaxByte(byte a, byte b) => Math.Max(a, b);
    public static nuint MinNUInt(nuint a, nuint b) => Math.Min(a, b);
    public static double MinDouble(double a, double b) => Math.Min(a, b);
    public static double MaxDouble(double a, double b) => Math.Max(a, b);
    public static float MinSingle(float a, float b) => MathF.Min(a, b);
    public static float MaxSingle(float a, float b) => Math.Max(a, b);

    public static int ClampOrderedInt32(int v, int a, int b) => Math.Clamp(v, Math.Min(a, b), Math.Max(a, b));
    public static double ClampOrderedDouble(double v, double a, double b) => Math.Clamp(v, Math.Min(a, b), Math.Max(a, b));
    public static float ClampUnitSingle(float v) => Math.Clamp(v, 0f, 1f);
    // min > max throws ArgumentException with a message that names both values.
    public static int ClampAnyBounds(int v, int min, int max) => Math.Clamp(v, min, max);

    public static double Sqrt(double a) => Math.Sqrt(a);
    public static float SqrtSingle(float a) => MathF.Sqrt(a);
    public static double Cbrt(double a) => Math.Cbrt(a);
    public static double Sin(double a) => Math.Sin(a);
    public static double Cos(double a) => Math.Cos(a);
    public static double Tan(double a) => Math.Tan(a);
    public static float SinSingle(float a) => MathF.Sin(a);
    public static float CosSingle(float a) => MathF.Cos(a);
    public static double Sinh(double a) => Math.Sinh(a);
    public static double Cosh(double a) => Math.Cosh(a);
    public static double Tanh(double a) => Math.Tanh(a);
    public static double Asin(double a) => Math.Asin(a);
    public static double Acos(double a) => Math.Acos(a);
    public static double Atan(double a) => Math.Atan(a);
    public static double Atan2(double y, double x) => Math.Atan2(y, x);
    public static float Atan2Single(float y, float x) => MathF.Atan2(y, x);
    public static double Exp(double a) => Math.Exp(a);
    public static float ExpSingle(float a) => MathF.Exp(a);
    public static double Log(double a) => Math.Log(a);
    public static float LogSingle(float a) => MathF.Log(a);
    public static double Log2(double a) => Math.Log2(a);
    public static double Log10(double a) => Math.Log10(a);
    public static double Pow(double a, double b) => Math.Pow(a, b);
    public static float PowSingle(float a, float b) => MathF.Pow(a, b);

    public static double Floor(double a) => Math.Floor(a);
    public static double Ceiling(double a) => Math.Ceiling(a);
    public static double Round(double a) => Math.Round(a);
    public static double Truncate(double a) => Math.Truncate(a);
    public static float FloorSingle(float a) => MathF.Floor(a);
    public static float CeilingSingle(float a) => MathF.Ceiling(a);
    public static float RoundSingle(float a) => MathF.Round(a);
    public static float TruncateSingle(float a) => MathF.Truncate(a);

    public static double FusedMultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
    public static float FusedMultiplyAddSingle(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
    public static double CopySign(double a, double b) => Math.CopySign(a, b);
    public static float CopySignSingle(float a, float b) => MathF.CopySign(a, b);

    public static int SignInt32(int a) => Math.Sign(a);
    public static int SignInt64(long a) => Math.Sign(a);
    public static int SignDouble(double a) => Math.Sign(a);
    public static int SignSingle(float a) => MathF.Sign(a);

    public static double RoundToIntegerThenConvert(double a) => (long)Math.Round(a * 100.0) / 100.0;
    public static double Distance3(double x, double y, double z) => Math.Sqrt(x * x + y * y + z * z);
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
    public static double LogSumExp(double a, double b)
    {
        double m = Math.Max(a, b);
        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }

    public static double TrigIdentity(double a) => Math.Sin(a) * Math.Sin(a) + Math.Cos(a) * Math.Cos(a);
    public static float SmoothStep(float e0, float e1, float x)
    {
        float t = Math.Clamp((x - e0) / (e1 - e0), 0f, 1f);
        return t * t * (3f - 2f * t);
    }

    public static double RoundHalfCases(double a) => Math.Round(a) + Math.Round(a + 0.5) * 1024 + Math.Round(-a - 0.5) * 1048576;
    public static double DenormalArithmetic(double x) => x * 0.5 + double.Epsilon * 3 - x * double.Epsilon;
    public static float SubnormalSingle(float x) => x * 1e-38f + float.Epsilon / 2 + MathF.Sqrt(float.Epsilon);

    // Found by the fuzzer: LLVM rewrote pow(8, x) as exp2(3·x), dozens of ulps off for large |x|,
    // and folded atan2f of constants in double precision; library calls are now left as written.
    public static double PowOfEight(double x) => Math.Pow(8.0, x - 46.62074956419913);
    public static float Atan2OfConstants() => MathF.Atan2(13f, 11.5f);
}

// Math and MathF members outside the compiler's own list compile from .NET's IL, bit for bit: ILogB, ScaleB,
// BitIncrement/BitDecrement, BigMul, DivRem, Log with a base, IEEERemainder, MaxMagnitude/MinMagnitude, and
// BitOperations' IsPow2.
public static class MathFromIl
{
    public static int ILogB(double a) => Math.ILogB(a);
    public static int ILogBSingle(float a) => MathF.ILogB(a);
    public static double ScaleB(double a, int n) => Math.ScaleB(a, n);
    public static float ScaleBSingle(float a, int n) => MathF.ScaleB(a, n);
    public static double BitSteps(double a) => Math.BitIncrement(a) - Math.BitDecrement(a);
    public static double BitIncrement(double a) => Math.BitIncrement(a);
    public static float BitDecrementSingle(float a) => MathF.BitDecrement(a);
    public static long BigMul(int a, int b) => Math.BigMul(a, b);
    public static int DivRemInt(int a, int b) { (int q, int r) = Math.DivRem(a, b); return q * 31 + r; }
    public static long DivRemLong(long a, long b) => Math.DivRem(a, b, out long r) ^ r;
    public static double LogBase(double a, double b) => Math.Log(a, b);
    public static double IeeeRemainder(double a, double b) => Math.IEEERemainder(a, b);
    public static double MaxMagnitude(double a, double b) => Math.MaxMagnitude(a, b) + Math.MinMagnitude(a, b);
    public static int SignSingle(float a) => MathF.Sign(a);
    public static bool IsPow2(ulong a) => System.Numerics.BitOperations.IsPow2(a);

    // Round with digits (ArgumentOutOfRangeException past 15, 6 for float) and with a mode (an undefined one raises
    // ArgumentException with the value in its message, made on the host, unless the value is too large to round).
    public static double RoundDigits(double a, int digits) => Math.Round(a, digits);
    public static double RoundMode(double a, int mode) => Math.Round(a, (MidpointRounding)mode);
    public static double RoundDigitsMode(double a, int digits, int mode) => Math.Round(a, digits & 31, (MidpointRounding)(mode % 7));
    public static double RoundCents(double a) => Math.Round(a, 2, MidpointRounding.AwayFromZero) + Math.Round(a, 3, MidpointRounding.ToZero);
    public static float RoundSingleDigits(float a, int digits) => MathF.Round(a, digits);
    public static float RoundSingleMode(float a, int digits, int mode) => MathF.Round(a, digits & 7, (MidpointRounding)(mode % 6));
}
