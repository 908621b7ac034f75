using System;
using Targets;

namespace Corpus;

// Loops whose exit leads only to a path that never returns: a throw, a loop left only by a throw, a
// call that always throws (issue 42: the fuzzer's seed 9720746 made the parallel target's outliner
// take such an exit for part of the loop's iterations and crash). The loop must run first, then
// the exception, as .NET does: the arrays it wrote are compared after the throw. Prange loops run
// in order on cpu and cuda, across cores on parallel.
public static class LoopTails
{
    /// <summary>The fuzzer's repro, reduced: a Prange reduction whose result nobody reads, then a throw.</summary>
    public static int PrangeThenThrow(int[] r, int n)
    {
        int s = 0;
        foreach (int i in Prange.Range(n & 1023))
            s += i;
        throw new IndexOutOfRangeException("x");
    }

    public static int PrangeWritesThenThrows(int[] r, int n)
    {
        foreach (int i in Prange.Range(r.Length))
            r[i] = i * (n & 0xFF);
        throw new InvalidOperationException("after the loop");
    }

    public static int PrangeThenAlwaysFails(int[] r, int n)
    {
        foreach (int i in Prange.Range(r.Length))
            r[i] += i;
        Fail(n);
        return 0;
    }

    static void Fail(int code)
    {
        if (code >= 0)
            throw new InvalidOperationException("fail");
        throw new ArgumentException("fail");
    }

    public static int PrangeThenLoopLeftByAThrow(int[] r, int n)
    {
        foreach (int i in Prange.Range(r.Length))
            r[i] = r[i] ^ i;
        for (int k = 0; ; k++)
        {
            if (k >= (n & 7))
                throw new OverflowException("k");
        }
    }

    public static int NestedPrangeThenThrow(int[] r, int n)
    {
        foreach (int i in Prange.Range(r.Length))
        {
            int s = 0;
            foreach (int j in Prange.Range(n & 15))
                s += j;
            r[i] = s + i;
        }
        throw new NotSupportedException("nested");
    }

    /// <summary>The tail only on some inputs: a loop in a branch that ends in a throw, another path that returns.</summary>
    public static long PrangeInABranchThatThrows(int[] r, int n)
    {
        long s = 0;
        if (n > 2)
        {
            foreach (int i in Prange.Range(r.Length))
                s += r[i] + (long)i;
            throw new ArgumentException("in the branch");
        }
        return s + n;
    }

    /// <summary>A counted loop (versioned for bounds checks) whose exit throws.</summary>
    public static int CountedLoopThenThrow(int[] r, int n)
    {
        int s = 0;
        for (int i = 0; i < r.Length; i++)
            s += r[i];
        if (s > n)
            throw new ArgumentException("more");
        throw new ArgumentException("less");
    }
}
