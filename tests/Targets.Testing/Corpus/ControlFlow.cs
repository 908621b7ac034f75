using System;

namespace Corpus;

// Branches and loops: if/else chains, while, do/while, for, break/continue, nested loops, labelled
// exits via goto, early return, ?: and short-circuit && / || (guarding a division that would throw).
// Loops bound their trip count from the inputs themselves, so any input terminates.
public static class ControlFlow
{
    public static int Classify(int x)
    {
        if (x < 0)
            return -1;
        else if (x == 0)
            return 0;
        else if (x < 10)
            return 1;
        else if (x < 100)
            return 2;
        else
            return 3;
    }

    public static int Gcd(int a, int b)
    {
        a = a == int.MinValue ? 1 : Math.Abs(a);
        b = b == int.MinValue ? 1 : Math.Abs(b);
        while (b != 0)
        {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    public static ulong GcdUInt64(ulong a, ulong b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }

    public static int CollatzSteps(long n)
    {
        n = (n & 0xffff) + 1;
        int steps = 0;
        while (n != 1 && steps < 1000)
        {
            n = (n & 1) == 0 ? n / 2 : 3 * n + 1;
            steps++;
        }
        return steps;
    }

    public static long FibonacciIterative(int n)
    {
        n &= 127;
        long a = 0, b = 1;
        for (int i = 0; i < n; i++)
        {
            long t = a + b;
            a = b;
            b = t;
        }
        return a;
    }

    public static bool IsPrime(int n)
    {
        if (n < 2)
            return false;
        if (n % 2 == 0)
            return n == 2;
        for (int d = 3; (long)d * d <= n; d += 2)
        {
            if (n % d == 0)
                return false;
            if (d > 50000)
                break;
        }
        return true;
    }

    public static int DigitSum(long n)
    {
        ulong u = n < 0 ? (ulong)(-(n + 1)) + 1 : (ulong)n;
        int s = 0;
        do
        {
            s += (int)(u % 10);
            u /= 10;
        } while (u != 0);
        return s;
    }

    public static int ReverseDigits(int n)
    {
        int r = 0;
        int sign = n < 0 ? -1 : 1;
        long m = Math.Abs((long)n);
        while (m > 0)
        {
            r = unchecked(r * 10 + (int)(m % 10));
            m /= 10;
        }
        return r * sign;
    }

    public static int SumSkippingMultiplesOfThree(int n)
    {
        n &= 1023;
        int s = 0;
        for (int i = 0; i < n; i++)
        {
            if (i % 3 == 0)
                continue;
            if (s > 100000)
                break;
            s += i;
        }
        return s;
    }

    public static int NestedLoopsWithBreak(int n, int m)
    {
        n &= 31;
        m &= 31;
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                if (j > i)
                    break;
                if (((i ^ j) & 1) == 1)
                    continue;
                count += i * j;
            }
        }
        return count;
    }

    public static int FindPairWithGoto(int target)
    {
        target &= 255;
        int result = -1;
        for (int i = 0; i < 16; i++)
        {
            for (int j = 0; j < 16; j++)
            {
                if (i * j == target)
                {
                    result = i * 100 + j;
                    goto done;
                }
            }
        }
    done:
        return result;
    }

    public static int DoWhileAtLeastOnce(int n)
    {
        int i = n & 7;
        int acc = 0;
        do
        {
            acc = acc * 3 + i;
            i--;
        } while (i > 0);
        return acc;
    }

    public static uint CountDownUnsigned(uint n)
    {
        n &= 255;
        uint s = 0;
        for (uint i = n; i > 0; i--)
            s += i * i;
        return s;
    }

    public static int ShortCircuitAnd(int a, int b) => b != 0 && a / b > 2 ? 1 : 0;
    public static int ShortCircuitOr(int a, int b) => b == 0 || a % b == 0 ? 1 : 0;
    public static bool ComplexCondition(int a, int b, int c) => (a > 0 && b > 0) || (c < 0 && !(a == b)) || (a ^ c) == 7;

    public static int TernaryChain(int x) => x < -100 ? -2 : x < 0 ? -1 : x == 0 ? 0 : x < 100 ? 1 : 2;
    public static double TernaryMixedTypes(bool pick, int a, double b) => pick ? a : b;

    public static int EarlyReturnInLoop(int n)
    {
        n &= 1023;
        for (int i = 1; i <= n; i++)
        {
            if (i * i > n)
                return i;
        }
        return -1;
    }

    public static long PowMod(long b, long e, long m)
    {
        m = (m & 0xffff) + 1;
        e &= 0xffff_ffff;
        b %= m;
        if (b < 0)
            b += m;
        long r = 1 % m;
        while (e > 0)
        {
            if ((e & 1) == 1)
                r = r * b % m;
            b = b * b % m;
            e >>= 1;
        }
        return r;
    }

    public static int IntegerSqrt(int n)
    {
        if (n <= 0)
            return 0;
        long x = n;
        long y = (x + 1) / 2;
        while (y < x)
        {
            x = y;
            y = (x + n / x) / 2;
        }
        return (int)x;
    }

    public static int WhileTrueWithBreak(int n)
    {
        int steps = 0;
        uint x = (uint)n;
        while (true)
        {
            if (x < 10)
                break;
            x /= 3;
            steps++;
        }
        return steps * 100 + (int)x;
    }

    public static double NewtonSqrt(double a)
    {
        if (!(a > 0))
            return 0;
        double x = a > 1 ? a : 1;
        for (int i = 0; i < 100; i++)
        {
            double next = 0.5 * (x + a / x);
            if (next == x)
                break;
            x = next;
        }
        return x;
    }

    public static int ForWithTwoVariables(int n)
    {
        n &= 63;
        int s = 0;
        for (int i = 0, j = n; i < j; i++, j--)
            s += i * j;
        return s;
    }

    public static int RefLocalInLoop(int n)
    {
        n &= 63;
        int a = 0, b = 0;
        for (int i = 0; i < n; i++)
        {
            ref int target = ref (i % 3 == 0 ? ref a : ref b);
            target += i;
        }
        return a * 1000 + b;
    }
}
