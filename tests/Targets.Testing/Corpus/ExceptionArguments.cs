using System;

namespace Corpus;

// Exceptions created with arguments: every constructor shape of the framework's argument exceptions
// (paramName and message, actual values of each scalar type boxed into object, null inner
// exceptions), a user-defined exception with runtime values, and one throw site reached with
// different values. The differential suite compares type, Message, ParamName and ActualValue.
public static class ExceptionArguments
{
    public static int ParamNameAndMessage(int x)
    {
        if (x < 0)
            throw new ArgumentOutOfRangeException(nameof(x), "must not be negative");
        return x;
    }

    public static int MessageAndParamName(int x)
    {
        if (x == 3)
            throw new ArgumentException("three is refused", nameof(x));
        return x + 1;
    }

    public static int NullWithMessage(int[] a)
    {
        if (a.Length == 0)
            throw new ArgumentNullException(nameof(a), "the array is empty");
        return a[0];
    }

    public static int ActualInt(int i)
    {
        if (i > 10)
            throw new ArgumentOutOfRangeException(nameof(i), i, "bad index");
        return i;
    }

    public static long ActualComputedLong(long v)
    {
        long doubled = v * 2;
        if (doubled > 1000)
            throw new ArgumentOutOfRangeException(nameof(v), doubled, "doubled past 1000");
        return doubled;
    }

    public static double ActualDouble(double d)
    {
        if (!(d >= 0))
            throw new ArgumentOutOfRangeException(nameof(d), d, "negative or NaN");
        return Math.Sqrt(d);
    }

    public static float ActualFloat(float f)
    {
        if (f > 1.5f)
            throw new ArgumentOutOfRangeException(nameof(f), f, null);
        return f;
    }

    public static int ActualBool(int x)
    {
        bool odd = (x & 1) == 1;
        if (x > 5)
            throw new ArgumentOutOfRangeException("odd", odd, "x > 5");
        return x;
    }

    public static uint ActualUnsignedAndChar(uint u)
    {
        if (u > 100)
            throw new ArgumentOutOfRangeException("digit", (char)('0' + u % 10), "u = big");
        if (u > 50)
            throw new ArgumentOutOfRangeException("u", u, "u past 50");
        return u;
    }

    public static int ActualByteAndShort(int x)
    {
        if (x > 1000)
            throw new ArgumentOutOfRangeException("low", (byte)x, "byte of x");
        if (x < -1000)
            throw new ArgumentOutOfRangeException("low", (short)x, "short of x");
        return x;
    }

    public static int NullInnerException(int x)
    {
        if (x == 0)
            throw new InvalidOperationException("no inner", null);
        if (x == 1)
            throw new ArgumentException("inner and param", "x", null);
        return x;
    }

    public static int OneSiteManyValues(int[] a)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(a), a[i], "negative element");
        }
        return a.Length;
    }

    public static int NotListedType(int x)
    {
        if (x == 7)
            throw new TimeoutException("seven timed out");
        if (x == 8)
            throw new ArrayTypeMismatchException();
        return x;
    }

    public static int UserException(int code, double weight)
    {
        if (code > 100)
            throw new CorpusException("code too large", code, weight, code % 2 == 0);
        return code;
    }

    public static int UserExceptionConstantArguments(int x)
    {
        if (x < -5)
            throw new CorpusException("constant", -1, 2.5, false);
        return x;
    }

    public static int NullMessage(int x)
    {
        if (x > 50)
            throw new ArgumentException(null, nameof(x));
        return x;
    }
}

/// <summary>A user's exception whose message is composed from runtime values by its constructor.</summary>
public sealed class CorpusException : Exception
{
    public CorpusException(string message, int code, double weight, bool even)
        : base($"{message}: code {code}, weight {weight}, even {even}")
    {
        Code = code;
    }

    public CorpusException() { }

    public CorpusException(string message) : base(message) { }

    public CorpusException(string message, Exception inner) : base(message, inner) { }

    public int Code { get; }
}

// Exceptions made by a static method from run-time values (an interpolated message): the host calls the method with
// the same values when compiled code raises, so the message is .NET's own; a catch in compiled code sees its type.
public static class ExceptionFactories
{
    static ArgumentOutOfRangeException PastTheEnd(int index, int length) => new(nameof(index), $"index {index} past {length}");

    static InvalidOperationException Odd(long value, string what) => new($"{what} {value} is odd ({value % 10})");

    public static int At(int[] a, int i) => (uint)i < (uint)a.Length ? a[i] : throw PastTheEnd(i, a.Length);

    public static long Even(long v) => (v & 1) == 0 ? v / 2 : throw Odd(v, "the value");

    public static int Caught(int[] a, int i)
    {
        try
        {
            return At(a, i);
        }
        catch (ArgumentOutOfRangeException)
        {
            return -1;
        }
    }
}
