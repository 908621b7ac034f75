using System;

namespace Corpus;

// Exceptions thrown by compiled code: explicit throws of each supported type with a constant message
// (and the constructors whose message .NET composes: ArgumentOutOfRangeException's paramName,
// parameterless ones), throws from deep
// calls after partial array writes, and the implicit ones (divide by zero, overflow, bounds).
public static class Exceptions
{
    public static int ThrowArgumentException(int x)
    {
        if (x < 0)
            throw new ArgumentException("x must not be negative");
        return x * 2;
    }

    public static int ThrowArgumentExceptionDefaultMessage(int x)
    {
        if (x == 0)
            throw new ArgumentException();
        return 100 / x;
    }

    public static int ThrowArgumentOutOfRangeWithParamName(int x)
    {
        if (x > 100)
            throw new ArgumentOutOfRangeException(nameof(x));
        return x;
    }

    public static int ThrowArgumentOutOfRangeWithLiteral(int x)
    {
        if (x > 100 || x < -100)
            throw new ArgumentOutOfRangeException("x must be within [-100, 100]");
        return x;
    }

    public static double ThrowInvalidOperation(double x)
    {
        if (x != x)
            throw new InvalidOperationException("NaN is not a valid state");
        return x + 1;
    }

    public static int ThrowInvalidOperationDefaultMessage(int x)
    {
        if ((x & 3) == 3)
            throw new InvalidOperationException();
        return x;
    }

    public static long ThrowNotSupported(long x)
    {
        if (x == long.MinValue)
            throw new NotSupportedException("long.MinValue is not supported");
        return -x;
    }

    public static int ThrowDivideByZero(int a, int b)
    {
        if (b == 0)
            throw new DivideByZeroException("custom divide by zero");
        return a / b;
    }

    public static uint ThrowOverflow(uint a, uint b)
    {
        if (a > uint.MaxValue - b)
            throw new OverflowException("sum does not fit");
        return a + b;
    }

    public static int ThrowIndexOutOfRange(int[] a, int i)
    {
        if (i < 0 || i >= a.Length)
            throw new IndexOutOfRangeException("custom index message");
        return a[i];
    }

    public static double ThrowArithmetic(double x)
    {
        if (x == double.PositiveInfinity || x == double.NegativeInfinity)
            throw new ArithmeticException("infinite input");
        return x * 0.5;
    }

    public static int ThrowException(int x)
    {
        if (x == 42)
            throw new Exception("the answer is not allowed");
        return x;
    }

    public static int ThrowFromSwitchExpression(int x) => (x & 3) switch
    {
        0 => 1,
        1 => 2,
        2 => 3,
        _ => throw new NotSupportedException("three is not supported"),
    };

    public static int ThrowInConditionalExpression(int x) => x >= 0 ? x : throw new ArgumentException("negative");

    public static int ThrowFromDeepCall(int depth)
    {
        return Level1(depth & 7);
    }

    [Helper]
    public static int Level1(int d) => d == 0 ? throw new InvalidOperationException("thrown at depth 1") : Level2(d - 1) + 1;

    [Helper]
    public static int Level2(int d) => d == 0 ? throw new ArgumentException("thrown at depth 2") : Level3(d - 1) + 1;

    [Helper]
    public static int Level3(int d)
    {
        if (d > 3)
            throw new NotSupportedException("thrown at depth 3");
        return d;
    }

    public static int PartialWritesBeforeThrow(int[] a, int stopAt)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == stopAt)
                throw new InvalidOperationException("stop value found");
            a[i] = a[i] * 2 + 1;
        }
        return a.Length;
    }

    public static int ImplicitDivideByZeroInHelper(int a, int b) => Divide(a, b) + 1;

    [Helper]
    public static int Divide(int a, int b) => a / b;

    public static int ImplicitOverflowInLoop(int[] a)
    {
        int product = 1;
        for (int i = 0; i < a.Length; i++)
            product = checked(product * (a[i] | 1));
        return product;
    }

    public static int ImplicitIndexOutOfRangeAfterWrites(int[] a, int n)
    {
        n &= 31;
        for (int i = 0; i < n; i++)
            a[i] = i;
        return n;
    }

    public static long ImplicitRemainderByZero(long a, long b) => a % b;

    public static int ValidateAll(int a, int b, int c)
    {
        if (a < 0) throw new ArgumentOutOfRangeException("a is negative");
        if (b == 0) throw new DivideByZeroException("b is zero");
        if (c > 1000) throw new OverflowException("c is too large");
        return a / b + c;
    }
}
