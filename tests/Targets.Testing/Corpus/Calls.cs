using System;

namespace Corpus;

// Calls between compiled methods: helpers compiled transitively, many mixed arguments, ref and out
// parameters (locals, arguments and array elements passed by reference), self recursion, and mutual
// recursion (two and three methods in a cycle). Recursion depth is bounded by the inputs.
public static class Calls
{
    public static int Square(int x) => x * x;
    public static int SumOfSquares(int a, int b) => Square(a) + Square(b);
    public static double Hypot(double a, double b) => Math.Sqrt(SquareDouble(a) + SquareDouble(b));
    public static double SquareDouble(double x) => x * x;

    public static double ManyArguments(int a, long b, float c, double d, byte e, char f, bool g, uint h) =>
        Mixed(a, b, c, d, e, f, g, h, a, d);

    [Helper]
    public static double Mixed(int a, long b, float c, double d, byte e, char f, bool g, uint h, int i, double j) =>
        a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + (g ? 7 : -7) + h * 8.0 + i * 9 + j * 10;

    [Helper]
    public static void Swap(ref int a, ref int b)
    {
        int t = a;
        a = b;
        b = t;
    }

    public static int SwapViaRef(int a, int b)
    {
        Swap(ref a, ref b);
        return a * 3 - b;
    }

    [Helper]
    public static bool TryDivide(int a, int b, out int quotient, out int remainder)
    {
        if (b == 0 || (a == int.MinValue && b == -1))
        {
            quotient = 0;
            remainder = 0;
            return false;
        }
        quotient = a / b;
        remainder = a % b;
        return true;
    }

    public static int DivideWithOut(int a, int b) =>
        TryDivide(a, b, out int q, out int r) ? q * 1000 + r : int.MinValue;

    [Helper]
    public static void Accumulate(ref double sum, ref long count, double value)
    {
        sum += value;
        count++;
    }

    public static double MeanViaRefs(double[] values)
    {
        double sum = 0;
        long count = 0;
        foreach (double v in values)
            Accumulate(ref sum, ref count, v);
        return count == 0 ? 0 : sum / count;
    }

    [Helper]
    public static void Increment(ref int x) => x++;

    [Helper]
    public static void IncrementTwice(ref int x)
    {
        Increment(ref x);
        Increment(ref x);
    }

    public static int RefThroughTwoLevels(int a)
    {
        int local = a;
        IncrementTwice(ref local);
        IncrementTwice(ref a);
        return local + a;
    }

    public static int RefToArrayElements(int[] a)
    {
        if (a.Length < 2)
            return -1;
        Swap(ref a[0], ref a[a.Length - 1]);
        Increment(ref a[a.Length / 2]);
        return a[0];
    }

    [Helper]
    public static void MinMax(long[] values, out long min, out long max)
    {
        min = long.MaxValue;
        max = long.MinValue;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < min) min = values[i];
            if (values[i] > max) max = values[i];
        }
    }

    public static long RangeOfValues(long[] values)
    {
        MinMax(values, out long min, out long max);
        return unchecked(max - min);
    }

    [Helper]
    public static void ScaleBy(ref float value, float factor) => value *= factor;

    public static float RefFloatParameter(float a, float b)
    {
        ScaleBy(ref a, b);
        ScaleBy(ref a, b);
        return a;
    }

    public static long Factorial(int n) => FactorialRec(n & 15);

    [Helper]
    public static long FactorialRec(int n) => n <= 1 ? 1 : n * FactorialRec(n - 1);

    public static int FibonacciRecursive(int n) => Fib(n & 15);

    [Helper]
    public static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);

    public static int Ackermann(int m, int n) => Ack(m & 1 | (m & 2), n & 7);

    [Helper]
    public static int Ack(int m, int n)
    {
        if (m == 0) return n + 1;
        if (n == 0) return Ack(m - 1, 1);
        return Ack(m - 1, Ack(m, n - 1));
    }

    public static bool IsEven(int n) => EvenRec(n & 1023);

    [Helper]
    public static bool EvenRec(int n) => n == 0 || OddRec(n - 1);

    [Helper]
    public static bool OddRec(int n) => n != 0 && EvenRec(n - 1);

    public static int ThreeWayCycle(int n) => CycleA(n & 255, 0);

    [Helper]
    public static int CycleA(int n, int acc) => n <= 0 ? acc : CycleB(n - 1, acc + 1);

    [Helper]
    public static int CycleB(int n, int acc) => n <= 0 ? acc * 2 : CycleC(n - 1, acc + 2);

    [Helper]
    public static int CycleC(int n, int acc) => n <= 0 ? acc * 3 : CycleA(n - 1, acc + 3);

    public static long HanoiMoves(int n) => Hanoi(n & 15, 0, 1, 2);

    [Helper]
    public static long Hanoi(int n, int from, int to, int via) =>
        n == 0 ? 0 : Hanoi(n - 1, from, via, to) + 1 + Hanoi(n - 1, via, to, from);

    public static int GcdRecursive(int a, int b) => GcdRec(a & 0x7fffffff, b & 0x7fffffff);

    [Helper]
    public static int GcdRec(int a, int b) => b == 0 ? a : GcdRec(b, a % b);

    public static int QuickSortInPlace(int[] a)
    {
        QuickSort(a, 0, a.Length - 1);
        return a.Length == 0 ? 0 : a[0];
    }

    [Helper]
    public static void QuickSort(int[] a, int lo, int hi)
    {
        if (lo >= hi)
            return;
        int pivot = a[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j)
        {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j)
            {
                Swap(ref a[i], ref a[j]);
                i++;
                j--;
            }
        }
        QuickSort(a, lo, j);
        QuickSort(a, i, hi);
    }

    public static double[] MergeSort(double[] a)
    {
        if (a.Length <= 1)
            return a;
        int mid = a.Length / 2;
        var left = new double[mid];
        var right = new double[a.Length - mid];
        for (int i = 0; i < mid; i++) left[i] = a[i];
        for (int i = mid; i < a.Length; i++) right[i - mid] = a[i];
        left = MergeSort(left);
        right = MergeSort(right);
        var result = new double[a.Length];
        int l = 0, r = 0, k = 0;
        while (l < left.Length && r < right.Length)
            result[k++] = left[l] <= right[r] ? left[l++] : right[r++];
        while (l < left.Length) result[k++] = left[l++];
        while (r < right.Length) result[k++] = right[r++];
        return result;
    }

    public static int CallResultIgnored(int a)
    {
        Square(a);
        SumOfSquares(a, a);
        return a;
    }

    public static int VoidHelperMutatesArray(int[] a, int v)
    {
        Fill(a, v);
        return a.Length;
    }

    [Helper]
    public static void Fill(int[] a, int v)
    {
        for (int i = 0; i < a.Length; i++)
            a[i] = v + i;
    }

    public static int BinarySearchRecursive(int[] a, int key)
    {
        QuickSort(a, 0, a.Length - 1);
        return Search(a, key, 0, a.Length - 1);
    }

    [Helper]
    public static int Search(int[] a, int key, int lo, int hi)
    {
        if (lo > hi)
            return ~lo;
        int mid = lo + ((hi - lo) >> 1);
        if (a[mid] == key) return mid;
        return a[mid] < key ? Search(a, key, mid + 1, hi) : Search(a, key, lo, mid - 1);
    }
}
