using System.Numerics;

namespace Targets.Frontend.Il;

/// <summary>
/// The sort compiled code runs for <c>Array.Sort</c> and <c>Span.Sort</c> of integers: introsort (Musser) — quicksort
/// partitioning around a median of three, heapsort once the recursion passes 2·log2(n) levels (so no input is
/// quadratic), insertion sort for parts of 16 or fewer. Integers that compare equal are identical, so the result is
/// .NET's whatever the algorithm. Compiled by this compiler from C#, as the other substitutes are.
/// </summary>
internal static class IntegerSort
{
    const int InsertionLimit = 16;

    public static void Sort<T>(T[] items, int start, int length) where T : IBinaryInteger<T>
    {
        if (length < 2)
            return;
        int depth = 2 * (31 - BitOperations.LeadingZeroCount((uint)length));
        IntroSort(items, start, start + length - 1, depth);
    }

    static void IntroSort<T>(T[] a, int low, int high, int depth) where T : IBinaryInteger<T>
    {
        while (high - low + 1 > InsertionLimit)
        {
            if (depth == 0)
            {
                HeapSort(a, low, high);
                return;
            }
            depth--;
            int pivot = Partition(a, low, high);
            // Recurse into the smaller part, loop over the larger: the stack stays O(log n).
            if (pivot - low < high - pivot)
            {
                IntroSort(a, low, pivot - 1, depth);
                low = pivot + 1;
            }
            else
            {
                IntroSort(a, pivot + 1, high, depth);
                high = pivot - 1;
            }
        }
        InsertionSort(a, low, high);
    }

    /// <summary>Hoare-style partition around the median of the first, middle and last elements; the pivot's final index.</summary>
    static int Partition<T>(T[] a, int low, int high) where T : IBinaryInteger<T>
    {
        int middle = low + ((high - low) >> 1);
        if (a[middle] < a[low])
            Swap(a, low, middle);
        if (a[high] < a[low])
            Swap(a, low, high);
        if (a[high] < a[middle])
            Swap(a, middle, high);
        // a[low] <= a[middle] <= a[high]: the median goes next to the end, the ends guard the scans.
        Swap(a, middle, high - 1);
        T pivot = a[high - 1];
        int left = low, right = high - 1;
        while (true)
        {
            while (a[++left] < pivot)
            {
            }
            while (pivot < a[--right])
            {
            }
            if (left >= right)
                break;
            Swap(a, left, right);
        }
        Swap(a, left, high - 1);
        return left;
    }

    static void InsertionSort<T>(T[] a, int low, int high) where T : IBinaryInteger<T>
    {
        for (int i = low + 1; i <= high; i++)
        {
            T value = a[i];
            int j = i - 1;
            while (j >= low && value < a[j])
            {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = value;
        }
    }

    static void HeapSort<T>(T[] a, int low, int high) where T : IBinaryInteger<T>
    {
        int n = high - low + 1;
        for (int i = n / 2; i >= 1; i--)
            SiftDown(a, i, n, low);
        for (int i = n; i > 1; i--)
        {
            Swap(a, low, low + i - 1);
            SiftDown(a, 1, i - 1, low);
        }
    }

    static void SiftDown<T>(T[] a, int i, int n, int low) where T : IBinaryInteger<T>
    {
        T value = a[low + i - 1];
        while (i <= n / 2)
        {
            int child = 2 * i;
            if (child < n && a[low + child - 1] < a[low + child])
                child++;
            if (!(value < a[low + child - 1]))
                break;
            a[low + i - 1] = a[low + child - 1];
            i = child;
        }
        a[low + i - 1] = value;
    }

    static void Swap<T>(T[] a, int i, int j)
    {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
