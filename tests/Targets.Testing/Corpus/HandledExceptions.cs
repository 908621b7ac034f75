using System;
using Targets;
using Targets.Testing;

namespace Corpus;

// Exceptions caught in compiled code: typed catch clauses in order (the type hierarchy as .NET's:
// ArithmeticException catches DivideByZeroException and OverflowException), catch (Exception) and
// bare catch, rethrow (throw; and throw e;), nested tries, catches in loops, what a callee threw
// (recursion included), the runtime's own raises (bounds, divide by zero, overflow, checked
// conversions); finally on normal exit, on return, break and continue out of the try, and on an
// exception (which goes on); finally inside finally; using on a struct disposable. Side effects go to
// the arrays, so the order of what ran is compared too.
public struct LoggedResource : IDisposable
{
    readonly int[] log;
    readonly int slot;

    public LoggedResource(int[] log, int slot)
    {
        this.log = log;
        this.slot = slot;
        log[slot] += 1;
    }

    public readonly void Dispose() => log[slot] += 100;
}

/// <summary>The foreach pattern on structs: GetEnumerator, MoveNext, Current, and Dispose on every way out.</summary>
public readonly struct LoggedRange(int[] log, int count)
{
    public LoggedRangeEnumerator GetEnumerator() => new(log, count);
}

public struct LoggedRangeEnumerator(int[] log, int count) : IDisposable
{
    int current = -1;

    public bool MoveNext() => ++current < count;

    public readonly int Current => current;

    public readonly void Dispose() => log[0] += 1000;
}

/// <summary>A jit class that is disposable: <c>using</c> calls its Dispose directly (its class is its exact type).</summary>
[JitClass]
public sealed class LoggedHandle : IDisposable
{
    public int[] Log;
    public int Slot;

    public LoggedHandle(int[] log, int slot)
    {
        Log = log;
        Slot = slot;
        log[slot] += 1;
    }

    public void Dispose() => Log[Slot] += 1000;
}

public static class HandledExceptions
{
    public static int SafeGet(int[] a, int i)
    {
        try { return a[i]; }
        catch (IndexOutOfRangeException) { return -1; }
    }

    public static int CatchesInOrder(int[] a, int i)
    {
        try { return 1000 / a[i]; }
        catch (IndexOutOfRangeException) { return -1; }
        catch (DivideByZeroException) { return -2; }
        catch (Exception) { return -3; }
    }

    public static int BaseTypeCatches(int x, int y)
    {
        try { return checked(x * y) / (x - y); }
        catch (ArithmeticException) { return int.MinValue; }
    }

    public static int BareCatch(int[] a, int i)
    {
        int r = 7;
        try { r = a[i] / a[0]; }
        catch { r = -7; }
        return r;
    }

    public static int CatchesInALoop(int[] a)
    {
        int bad = 0;
        for (int i = 0; i < a.Length; i++)
        {
            try { checked { a[i] *= 1_000_000; } }
            catch (OverflowException) { bad++; a[i] = -1; }
        }
        return bad;
    }

    public static int Rethrow(int[] log, int i)
    {
        try { return log[i]; }
        catch (IndexOutOfRangeException) { log[0]++; throw; }
    }

    public static int RethrowTheVariable(int[] log, int d)
    {
        try { return 100 / d; }
        catch (DivideByZeroException e) { log[0] = 42; throw e; }
    }

    public static int UncaughtTypeGoesOn(int[] a, int d)
    {
        try { return a[0] / d; }
        catch (OverflowException) { return -1; }
    }

    public static int Nested(int[] a, int i)
    {
        int r = 0;
        try
        {
            try { r = 10 / a[i]; }
            catch (DivideByZeroException) { r = -1; }
            r += 100;
        }
        catch (Exception) { r = -1000; }
        return r;
    }

    public static int ThrowInACatch(int[] a, int i)
    {
        try
        {
            try { return a[i]; }
            catch (IndexOutOfRangeException) { throw new InvalidOperationException("rethrown as another"); }
        }
        catch (InvalidOperationException) { return -5; }
    }

    [Helper]
    public static int Deep(int[] a, int n)
    {
        if (n <= 0)
            return a[n - 1];
        return Deep(a, n - 1) + 1;
    }

    public static int FromACallee(int[] a, int n)
    {
        try { return Deep(a, n % 64); }
        catch (IndexOutOfRangeException) { return -n; }
    }

    [Helper]
    public static int Validate(int x)
    {
        if (x < 0)
            throw new ArgumentOutOfRangeException(nameof(x), x, "must not be negative");
        if (x > 1000)
            throw new NotSupportedException("too large");
        return x;
    }

    public static int ThrownByACallee(int x)
    {
        try { return Validate(x) + Validate(x / 2); }
        catch (ArgumentException) { return -1; }
        catch (NotSupportedException) { return -2; }
    }

    public static long CheckedConversion(long x)
    {
        try { return checked((int)x) + 1L; }
        catch (OverflowException) { return long.MinValue; }
    }

    public static int RethrowAfterAnInnerCatch(int[] a, int i)
    {
        try { return a[i]; }
        catch (IndexOutOfRangeException)
        {
            try { a[0] = 100 / (a.Length - a.Length); }
            catch (DivideByZeroException) { a[0] = -1; }
            throw; // the IndexOutOfRangeException, not the DivideByZeroException caught since
        }
    }

    [Helper]
    public static int CatchesItsOwn(int x)
    {
        try { return 100 / x; }
        catch (DivideByZeroException) { return -1; }
    }

    public static int RethrowAfterACalleeCaught(int[] a, int i)
    {
        try { return a[i]; }
        catch (IndexOutOfRangeException e)
        {
            a[0] += CatchesItsOwn(i - i);
            throw e;
        }
    }

    public static int FinallyThatCatchesInside(int[] log, int d)
    {
        try { return 100 / d; }
        finally
        {
            try { log[5] = 1; }
            catch (IndexOutOfRangeException) { log[0]++; }
        }
    }

    public static int Filtered(int[] a, int i)
    {
        try { return 100 / a[i]; }
        catch (DivideByZeroException) when (i == 0) { return -1; }
        catch (DivideByZeroException) { return -2; }
        catch (IndexOutOfRangeException e) when (a.Length > 2) { return -3; }
    }

    public static int FilterThatThrows(int[] a, int i)
    {
        try { return 100 / a[i]; }
        catch (Exception) when (a[i + 100] > 0) { return -1; } // the filter's own exception counts as false
        catch (DivideByZeroException) { return -2; }
    }

    public static int FilterOnAVariable(int[] log, int d)
    {
        int tries = 0;
        while (true)
        {
            try { return 100 / (d + tries); }
            catch (DivideByZeroException) when (tries++ < 3) { log[0]++; }
        }
    }

    /// <summary>e.GetType() == typeof(T): the exact type, which a user's exception derived from Exception is not.</summary>
    public static int ExactTypeOfTheCaught(int[] a, int i)
    {
        try
        {
            if (i % 5 == 4)
                throw new CorpusException("exact", i, 0.5, false);
            if (i % 5 == 3)
                throw new Exception("plain");
            if (i % 5 == 2)
                throw new ArgumentOutOfRangeException(nameof(i));
            return 100 / a[i % a.Length] + checked(a[0] * 1_000_000_000);
        }
        catch (Exception e)
        {
            if (e.GetType() == typeof(Exception))
                return -1;
            if (typeof(ArgumentOutOfRangeException) == e.GetType())
                return -2;
            if (e.GetType() != typeof(DivideByZeroException))
                return e is ArithmeticException ? -3 : -4;
            return -5;
        }
    }

    public static int ExactTypeInAFilter(int[] a, int i)
    {
        try { return a[i] / (i - 2); }
        catch (ArithmeticException e) when (e.GetType() == typeof(DivideByZeroException)) { return -1; }
        catch (Exception e) when (e.GetType() == typeof(IndexOutOfRangeException)) { return -2; }
    }

    /// <summary>foreach over a struct enumerator: Dispose on normal exit, on break, and on an exception (caught around it).</summary>
    public static int ForeachOverAStructEnumerator(int[] log, int n)
    {
        int s = 0;
        try
        {
            foreach (int x in new LoggedRange(log, n % 60))
            {
                if (x == log.Length + 20)
                    break;
                s += 100 / (x - 37);
            }
        }
        catch (DivideByZeroException) { s = -s; }
        return s;
    }

    public static int TypeTestInACatch(int[] a, int i)
    {
        try { return checked(a[i] * 1_000_000) / (a.Length - 3); }
        catch (ArithmeticException e)
        {
            a[0] += CatchesItsOwn(0);
            if (e is OverflowException)
                return -1;
            return -2;
        }
    }

    public static int FinallyOnReturn(int[] log, int n)
    {
        try
        {
            if (n > 0)
                return n * 2;
            return -1;
        }
        finally { log[0]++; }
    }

    public static int FinallyOnException(int[] log, int i)
    {
        try { return log[i] + 1; }
        finally { log[0] += 10; }
    }

    public static int FinallyInFinally(int[] log, int n)
    {
        try
        {
            try { return log[n]; }
            finally { log[0] += 10; }
        }
        catch (IndexOutOfRangeException) { log[1] = 5; return log[0] + log[1]; }
        finally { log[0]++; }
    }

    public static int BreakAndContinueThroughFinally(int[] log, int n)
    {
        int s = 0;
        for (int i = 0; i < n; i++)
        {
            try
            {
                if (i == 5)
                    break;
                if (i % 2 == 0)
                    continue;
                s += i;
            }
            finally { log[0]++; }
        }
        return s;
    }

    public static int UsingAStruct(int[] log, int n)
    {
        using (var resource = new LoggedResource(log, 0))
        {
            if (n < 0)
                throw new ArgumentException("negative");
            return log[n] + 1;
        }
    }

    public static int UsingDeclarations(int[] log, int n)
    {
        using var first = new LoggedResource(log, 0);
        using var second = new LoggedResource(log, 1);
        return 10 / n + log[0] + log[1];
    }

    public static int UsingAJitClass(int[] log, int n)
    {
        using (var handle = new LoggedHandle(log, 0))
        {
            using var second = new LoggedHandle(log, n & 1);
            return 10 / n + log[0];
        }
    }

    public static long ArraysMadeInATry(int n)
    {
        long s = 0;
        try
        {
            var a = new long[n % 64];
            for (int i = 0; i <= 20; i++)
            {
                a[i] = i;
                s += a[i];
            }
        }
        catch (IndexOutOfRangeException) { s = -s; }
        catch (OverflowException) { s = -1; }
        return s;
    }

    public static int InstancesMadeInATry(int[] values, int n)
    {
        ListNode? head = null;
        int count = 0;
        try
        {
            for (int i = 0; i < n % 40; i++)
            {
                head = new ListNode(values[i], head); // runs past the array's end for long n
                count++;
            }
        }
        catch (IndexOutOfRangeException) { count = -count; }
        finally { head = new ListNode(count, head); }
        int sum = 0;
        for (ListNode? p = head; p != null; p = p.Next)
            sum += p.Value;
        return sum;
    }

    public static int[] ArrayReturnedFromACatch(int n)
    {
        int[] made = new int[3];
        try
        {
            made = new int[n % 64];
            made[5] = 1;
            return made;
        }
        catch (IndexOutOfRangeException) { return [made.Length, -1]; }
        catch (OverflowException) { return [-2]; }
    }
}
