#pragma warning disable CA1051 // jit classes are made of public fields

namespace Targets.Parallel.Tests;

[JitClass]
public sealed class Counter
{
    public long Hits;
    public double Scale;

    public Counter(double scale) => Scale = scale;
}

/// <summary>Kernels and Prange loops, run by .NET (the oracle) and by both host targets.</summary>
public static class Samples
{
    /// <summary>A Prange loop inside a try: what a worker raises leaves the loop and is caught around it.</summary>
    public static long PrangeInATry(int[] divisors)
    {
        long s = 0;
        try
        {
            foreach (int i in Prange.Range(divisors.Length))
                s += 1000 / divisors[i];
        }
        catch (DivideByZeroException) { s = -1; }
        return s;
    }

    /// <summary>A try in a Prange loop's body: each iteration catches its own exception, allocating on both paths.</summary>
    public static long CatchInEveryIteration(int[] divisors, int[] results)
    {
        long caught = 0;
        foreach (int i in Prange.Range(divisors.Length))
        {
            int[] scratch = new int[2];
            try
            {
                scratch[0] = 1000 / divisors[i];
                results[i] = checked(scratch[0] * scratch[0] * divisors[i] * 3000); // overflows for divisor 1
            }
            catch (DivideByZeroException)
            {
                int[] other = new int[3];
                results[i] = -other.Length;
                caught += 1;
            }
            catch (OverflowException) { results[i] = -7; }
        }
        return caught;
    }

    /// <summary>A finally in a Prange loop's body runs in the iteration that raised; the exception goes on to the catch around the loop.</summary>
    public static int FinallyInEveryIteration(int[] divisors, int[] results)
    {
        try
        {
            foreach (int i in Prange.Range(divisors.Length))
            {
                try { results[i] = 1000 / divisors[i]; }
                finally { results[i] += 1_000_000; }
            }
            return 0;
        }
        catch (DivideByZeroException) { return -1; }
    }

    /// <summary>A catch that leaves a Prange loop: in order on cpu, a race on parallel (no iteration can stop the others).</summary>
    public static int CatchThatLeavesTheLoop(int[] divisors)
    {
        int found = 0;
        foreach (int i in Prange.Range(divisors.Length))
        {
            try { found += 1000 / divisors[i]; }
            catch (DivideByZeroException) { found = -i; break; }
        }
        return found;
    }

    /// <summary>Each iteration builds, walks and drops a short list and a scratch array: allocation from every worker's pool.</summary>
    public static long BuildListsInParallel(int n)
    {
        long total = 0;
        foreach (int i in Prange.Range(n))
        {
            ListNode? head = null;
            for (int k = 0; k <= i % 7; k++)
                head = new ListNode(i + k, head);
            long s = 0;
            for (ListNode? p = head; p != null; p = p.Next)
                s += p.Value;
            var scratch = new double[4];
            scratch[i & 3] = s;
            total += (long)scratch[i & 3];
        }
        return total;
    }

    /// <summary>Instances made by the workers, kept in an array, and freed on the calling thread when it drops the array.</summary>
    public static long MadeOnWorkersFreedHere(int n)
    {
        var links = new ListNode?[n];
        foreach (int i in Prange.Range(n))
            links[i] = new ListNode(i * 3, null);
        long s = 0;
        for (int i = 0; i < n; i++)
            s += links[i]!.Value;
        return s;
    }

    /// <summary>Each iteration makes a two-node cycle on its worker and drops it: garbage only the cycle collector frees.</summary>
    public static long CyclesOnWorkers(int n)
    {
        long total = 0;
        foreach (int i in Prange.Range(n))
        {
            var a = new ListNode(i, null);
            var b = new ListNode(i + 1, a);
            a.Next = b;
            total += a.Next.Value + b.Next!.Value;
        }
        return total;
    }

    public static void Saxpy(Index1D i, float a, float[] x, float[] y) => y[i] = a * x[i] + y[i];

    public static void Fill2D(Index2D i, int[,] grid) => grid[i.X, i.Y] = i.X * 1000 + i.Y;

    public static void Fill3D(Index3D i, int width, int height, long[] cells) => cells[i.X + width * (i.Y + height * i.Z)] = i.X + 100L * i.Y + 10000L * i.Z;

    /// <summary>Every work item takes and drops a reference to the one shared instance.</summary>
    public static void ScaleBy(Index1D i, Counter counter, double[] output)
    {
        Counter c = counter;
        output[i] = c.Scale * i;
    }

    public static void CheckedKernel(Index1D i, int[] data, int bad)
    {
        if (i == bad)
            throw new InvalidOperationException("bad index");
        data[i] = 100 / (i - bad);
    }

    public static double SumOfSquares(double[] a)
    {
        double s = 0;
        foreach (int i in Prange.Range(a.Length))
            s += a[i] * a[i];
        return s;
    }

    public static long Add(int n)
    {
        long sum = 0;
        foreach (int i in Prange.Range(n))
            sum += (i * 7919L) % 1013 - 500;
        return sum;
    }

    public static long AddLongForm(int n)
    {
        long sum = 3;
        foreach (int i in Prange.Range(n))
            sum = sum + (i % 17);
        return sum;
    }

    public static int Subtract(int n)
    {
        int left = 1_000_000;
        foreach (int i in Prange.Range(n))
            left -= i % 13;
        return left;
    }

    public static int SubtractLongForm(int n)
    {
        int left = 7;
        foreach (int i in Prange.Range(n))
            left = left - i;
        return left;
    }

    public static long Multiply(int n)
    {
        long product = 1;
        foreach (int i in Prange.Range(1, n))
            product *= i % 5 == 0 ? -1 : 1;
        return product;
    }

    public static ulong MultiplyWrapping(int n)
    {
        ulong product = 1;
        foreach (int i in Prange.Range(n))
            product = product * (ulong)(2 * i + 1);
        return product;
    }

    public static int Minimum(int[] a)
    {
        int lo = int.MaxValue;
        foreach (int i in Prange.Range(a.Length))
            lo = Math.Min(lo, a[i]);
        return lo;
    }

    public static double Maximum(double[] a)
    {
        double hi = double.NegativeInfinity;
        foreach (int i in Prange.Range(a.Length))
            hi = Math.Max(a[i], hi);
        return hi;
    }

    public static uint MinimumUnsigned(uint[] a)
    {
        uint lo = uint.MaxValue;
        foreach (int i in Prange.Range(a.Length))
            lo = Math.Min(lo, a[i]);
        return lo;
    }

    public static int Bits(int[] a)
    {
        int and = -1, or = 0, xor = 0;
        foreach (int i in Prange.Range(a.Length))
        {
            and &= a[i] | 0x100;
            or |= a[i];
            xor ^= a[i];
        }
        return and * 31 + or * 17 + xor;
    }

    public static long BitsLongForm(long[] a)
    {
        long and = -1, or = 0, xor = 0;
        foreach (int i in Prange.Range(a.Length))
        {
            and = and & (a[i] | 0x100);
            or = or | a[i];
            xor = a[i] ^ xor;
        }
        return and * 31 + or * 17 + xor;
    }

    public static float SumFloat(float[] a)
    {
        float s = 0;
        foreach (int i in Prange.Range(a.Length))
            s += a[i];
        return s;
    }

    public static int Stepped(int start, int end, int step, int[] seen)
    {
        int count = 0;
        foreach (int i in Prange.Range(start, end, step))
        {
            seen[i] += 1;
            count += 1;
        }
        return count;
    }

    public static void Squares(int[] output)
    {
        foreach (int i in Prange.Range(output.Length))
        {
            int v = i * i; // private: written before it is read in every iteration
            output[i] = v;
        }
    }

    public static double RowSums(double[,] m, double[] sums)
    {
        double total = 0;
        foreach (int i in Prange.Range(m.GetLength(0)))
        {
            double row = 0;
            for (int j = 0; j < m.GetLength(1); j++)
                row += m[i, j];
            sums[i] = row;
            total += row;
        }
        return total;
    }

    public static long Nested(int n)
    {
        long total = 0;
        foreach (int i in Prange.Range(n))
        {
            foreach (int j in Prange.Range(i))
                total += j; // the inner loop runs in order inside each outer iteration
        }
        return total;
    }

    public static double PrivateArrays(int n)
    {
        double total = 0;
        foreach (int i in Prange.Range(n))
        {
            double[] scratch = new double[4];
            for (int k = 0; k < scratch.Length; k++)
                scratch[k] = i + k;
            total += scratch[0] + scratch[3];
        }
        return total;
    }

    public static int ThrowsAt(int n, int bad)
    {
        int hits = 0;
        foreach (int i in Prange.Range(n))
        {
            if (i == bad)
                throw new InvalidOperationException("bad iteration");
            hits += 1;
        }
        return hits;
    }

    public static int DividesAt(int n, int bad, int[] data)
    {
        foreach (int i in Prange.Range(n))
            data[i] = 1000 / (i - bad);
        return data[0];
    }

    public static double Shared(Counter counter, int n)
    {
        double total = 0;
        foreach (int i in Prange.Range(n))
        {
            Counter c = counter; // takes and drops a reference per iteration
            total += c.Scale * i;
        }
        return total;
    }

    public static double SharedThroughCall(Counter counter, int n)
    {
        double total = 0;
        foreach (int i in Prange.Range(n))
            total += Scaled(counter, i);
        return total;
    }

    static double Scaled(Counter c, int i) => c.Scale * i;

    public static long Empty(int start, int end)
    {
        long count = 0;
        foreach (int i in Prange.Range(start, end))
            count += 1;
        return count;
    }
}

/// <summary>Loops whose iterations race: each must be a compilation error naming the variable and why.</summary>
public static class Races
{
    public static int LastWriter(int n)
    {
        int last = 0;
        foreach (int i in Prange.Range(n))
            last = i;
        return last;
    }

    public static void SameElement(int[] a)
    {
        foreach (int i in Prange.Range(a.Length))
            a[0] = i;
    }

    public static void NeighbourElement(int[] a)
    {
        foreach (int i in Prange.Range(a.Length - 1))
            a[i + 1] = a[i];
    }

    /// <summary>Iteration i reads the element iteration i + 1 writes.</summary>
    public static void ReadsNeighbour(int[] a)
    {
        foreach (int i in Prange.Range(a.Length - 1))
            a[i] = a[i + 1];
    }

    public static void Histogram(int[] values, int[] counts)
    {
        foreach (int i in Prange.Range(values.Length))
            counts[values[i] & 15]++;
    }

    /// <summary>j ≤ n: each row writes one element of the next.</summary>
    public static void RowsOverlap(int[] a, int n)
    {
        foreach (int i in Prange.Range(n))
        {
            for (int j = 0; j <= n; j++)
                a[i * n + j] = i;
        }
    }

    /// <summary>Every iteration writes the same row.</summary>
    public static void SameRow(int[] a, int n)
    {
        foreach (int i in Prange.Range(n))
        {
            for (int j = 0; j < n; j++)
                a[j] = i;
        }
    }

    /// <summary>Rows 4 apart, n long: the bound is not tied to the stride.</summary>
    public static void RowsWiderThanTheStride(int[] a, int n)
    {
        foreach (int i in Prange.Range(n))
        {
            for (int j = 0; j < n; j++)
                a[i * 4 + j] = i;
        }
    }

    /// <summary>Two loops that C# (Release) gives one enumerator local: the second is checked too.</summary>
    public static void SecondLoopRaces(int[] a)
    {
        foreach (int i in Prange.Range(a.Length))
            a[i] = i;
        foreach (int i in Prange.Range(a.Length - 1))
            a[i + 1] = a[i];
    }

    /// <summary>A Range loop after a Disjoint one on the same enumerator local: the promise is the first loop's only.</summary>
    public static void RangeAfterDisjoint(int[] a, int[] perm)
    {
        foreach (int i in Prange.Disjoint(perm.Length))
            a[perm[i]] = i;
        foreach (int i in Prange.Range(a.Length - 1))
            a[i + 1] = a[i];
    }

    public static void WrongDimension(int[,] m)
    {
        foreach (int i in Prange.Range(m.GetLength(0)))
            m[0, i & 1] = i;
    }

    public static int MixedOperations(int n)
    {
        int s = 1;
        foreach (int i in Prange.Range(n))
        {
            s += i;
            s *= 2;
        }
        return s;
    }

    public static int ReadAsWell(int n, int[] output)
    {
        int s = 0;
        foreach (int i in Prange.Range(n))
        {
            s += i;
            output[i] = s;
        }
        return s;
    }

    public static int Breaks(int n)
    {
        int hits = 0;
        foreach (int i in Prange.Range(n))
        {
            if (i == 3)
                break;
            hits += 1;
        }
        return hits;
    }

    public static int Returns(int n)
    {
        foreach (int i in Prange.Range(n))
        {
            if (i == 3)
                return i;
        }
        return -1;
    }

    public static short NarrowReduction(int n)
    {
        short s = 0;
        foreach (int i in Prange.Range(n))
            s += (short)i;
        return s;
    }

    public static int CheckedReduction(int n)
    {
        int s = 0;
        foreach (int i in Prange.Range(n))
            s = checked(s + i);
        return s;
    }

    public static int ByRef(int n)
    {
        int s = 0;
        foreach (int i in Prange.Range(n))
            Bump(ref s);
        return s;
    }

    static void Bump(ref int s) => s++;
}

/// <summary>Parallel loops inside parallel loops' callees, allocation on the way to a throw, and loops in callees called from many threads.</summary>
public static class Composed
{
    public static long OuterCallsInner(int n)
    {
        long total = 0;
        foreach (int i in Prange.Range(n))
            total += Inner(i);
        return total;
    }

    /// <summary>A Prange loop of its own: run from inside another loop's chunk, it runs in order there.</summary>
    public static long Inner(int m)
    {
        long sum = 0;
        foreach (int j in Prange.Range(m))
            sum += j * (long)j;
        return sum;
    }

    public static double AllocatesThenThrows(int n, int bad)
    {
        double total = 0;
        foreach (int i in Prange.Range(n))
        {
            double[] scratch = new double[8];
            scratch[i % 8] = i;
            if (i == bad)
                throw new InvalidOperationException("bad iteration");
            total += scratch[i % 8];
        }
        return total;
    }
}

public static class LongKernels
{
    /// <summary>Counts the work items whose index is a multiple of 1000 (an atomic-free way to see every index: one slot per thousand).</summary>
    public static void Mark(LongIndex1D i, long[] hits)
    {
        if (i % 1000 == 0)
            hits[i / 1000] = i;
    }
}

/// <summary>Shapes the fuzzer found the race check refusing wrongly.</summary>
public static class FuzzFound
{
    /// <summary>The array and index are pushed before the ternary's branch and reach the store as block parameters.</summary>
    public static int StoreOfATernary(int n, bool pick, int[] output)
    {
        foreach (int i in Prange.Range(n))
            output[i] = pick ? i * 2 : n - i;
        return output.Length;
    }
}

/// <summary>Prange loops whose writes the race check proves disjoint or takes on the user's word (issue 44).</summary>
public static class Disjoint
{
    /// <summary>a[i + 1] += 1: each iteration reads and writes one element of its own.</summary>
    public static void CompoundNeighbour(int[] a)
    {
        foreach (int i in Prange.Range(a.Length - 1))
            a[i + 1] += 1;
    }

    /// <summary>A permutation's inverse: disjoint because perm is a permutation, which no analysis sees; the user vouches for it.</summary>
    public static void Invert(int[] perm, int[] inverse)
    {
        foreach (int i in Prange.Disjoint(perm.Length))
            inverse[perm[i]] = i;
    }

    /// <summary>Two loops on one enumerator local (Release IL): both run in parallel.</summary>
    public static void TwoLoops(int[] a)
    {
        foreach (int i in Prange.Range(a.Length))
            a[i] = i;
        foreach (int i in Prange.Range(a.Length))
            a[i] *= 2;
    }

    /// <summary>A vouched-for loop still has its variables checked.</summary>
    public static int VouchedLastWriter(int n)
    {
        int last = 0;
        foreach (int i in Prange.Disjoint(n))
            last = i;
        return last;
    }
}

/// <summary>SIMD vectors in Prange loops: a vector covers its lanes' elements, so windows that overlap are races.</summary>
public static class SimdLoops
{
    public static void ChunkSums(float[] a, float[] sums)
    {
        foreach (int c in Prange.Range(sums.Length))
        {
            var acc = System.Numerics.Vector<float>.Zero;
            for (int k = 0; k < 4; k++)
                acc += new System.Numerics.Vector<float>(a, (c * 4 + k) * System.Numerics.Vector<float>.Count);
            sums[c] = System.Numerics.Vector.Sum(acc);
        }
    }

    public static void ScaleWindows(float[] a, float k)
    {
        // The lane count itself (a constant to the compiler), not a variable holding it: the windows are then provably apart.
        foreach (int c in Prange.Range(a.Length / System.Numerics.Vector<float>.Count))
            (new System.Numerics.Vector<float>(a, c * System.Numerics.Vector<float>.Count) * k).CopyTo(a, c * System.Numerics.Vector<float>.Count);
    }

    public static void OverlappingWindows(float[] a)
    {
        foreach (int c in Prange.Range(a.Length - System.Numerics.Vector<float>.Count))
            System.Numerics.Vector<float>.One.CopyTo(a, c); // iteration c writes a[c] … a[c + 7]: its neighbours' too
    }
}

/// <summary>A Prange loop whose body reads vectors made before it (captured as fields of the loop's captures, aligned as a lane).</summary>
public static class SimdCaptures
{
    public static void DoubleEach(System.Runtime.Intrinsics.Vector256<float>[] a, System.Runtime.Intrinsics.Vector256<float> shift)
    {
        foreach (int i in Prange.Range(a.Length))
            a[i] = a[i] * 2 + shift;
    }

    public static void ScaleAndShift(float[] a, float k, int shift)
    {
        var scale = new System.Numerics.Vector<float>(k);
        long tag = shift; // a field after a vector and before another, at offsets no natural LLVM layout would give
        var offset = new System.Numerics.Vector<float>(tag);
        foreach (int c in Prange.Range(a.Length / System.Numerics.Vector<float>.Count))
            (new System.Numerics.Vector<float>(a, c * System.Numerics.Vector<float>.Count) * scale + offset).CopyTo(a, c * System.Numerics.Vector<float>.Count);
    }
}

public static class ListLoops
{
    public static void OwnLists(int[] a)
    {
        foreach (int i in Prange.Range(a.Length))
        {
            var divisors = new System.Collections.Generic.List<int>();
            for (int d = 1; d <= i; d++)
            {
                if (i % d == 0)
                    divisors.Add(d);
            }
            a[i] = divisors.Count * 1000 + (divisors.Count > 0 ? divisors[^1] : 0);
        }
    }

    public static int SharedList(int[] a)
    {
        var all = new System.Collections.Generic.List<int>();
        foreach (int i in Prange.Range(a.Length))
            all.Add(a[i]);
        return all.Count;
    }

    public static int SharedDictionary(int[] a)
    {
        var counts = new System.Collections.Generic.Dictionary<int, int>();
        foreach (int i in Prange.Range(a.Length))
            counts[a[i] & 7] = i;
        return counts.Count;
    }

    public static int SharedQueue(int[] a)
    {
        var pending = new System.Collections.Generic.Queue<int>(a);
        int[] taken = new int[a.Length];
        foreach (int i in Prange.Range(a.Length))
            taken[i] = pending.TryDequeue(out int v) ? v : -1;
        return taken.Length;
    }

    /// <summary>Each iteration counts the distinct values of its own window with its own set and dictionary.</summary>
    public static void OwnSets(int[] a, int[] distinct)
    {
        foreach (int i in Prange.Range(distinct.Length))
        {
            var seen = new System.Collections.Generic.HashSet<int>();
            var first = new System.Collections.Generic.Dictionary<int, int>();
            for (int k = i; k < Math.Min(a.Length, i + 16); k++)
            {
                if (seen.Add(a[k]))
                    first[a[k]] = k;
            }
            distinct[i] = seen.Count * 1000 + (first.TryGetValue(a[i], out int at) ? at : -1);
        }
    }

    public static long ReadShared(int[] a, long[] sums)
    {
        var table = new System.Collections.Generic.List<int>(a);
        foreach (int i in Prange.Range(sums.Length))
            sums[i] = table[i % table.Count] + table.IndexOf(i);
        return sums.Length;
    }

    /// <summary>Each iteration makes its own row of a jagged array (filled through a local, then stored at the iteration's index).</summary>
    public static long JaggedRows(long[] sums)
    {
        var rows = new int[sums.Length][];
        foreach (int i in Prange.Range(sums.Length))
        {
            var row = new int[(i & 15) + 1];
            for (int j = 0; j < row.Length; j++)
                row[j] = i * j;
            rows[i] = row;
        }
        foreach (int i in Prange.Range(sums.Length))
        {
            long s = 0;
            foreach (int v in rows[i])
                s += v;
            sums[i] = s;
        }
        return rows[^1].Length;
    }

    /// <summary>A write into a row read from the jagged array: two entries may hold one row, so iterations may race.</summary>
    public static void JaggedWrite(int[][] rows)
    {
        foreach (int i in Prange.Range(rows.Length))
            rows[i][0] = i;
    }

    /// <summary>A list .NET passes, read by every iteration, then changed after the loop (its change copied back to .NET's list).</summary>
    public static int ReadPassed(System.Collections.Generic.List<int> table, long[] sums)
    {
        foreach (int i in Prange.Range(sums.Length))
            sums[i] = table[i % table.Count] * (long)i;
        table.Add(sums.Length);
        return table.Count;
    }
}
