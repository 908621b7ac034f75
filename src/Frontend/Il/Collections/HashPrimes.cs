namespace Targets.Frontend.Il.Collections;

/// <summary>
/// The sizes .NET's hashed collections take (its <c>HashHelpers</c>): the least prime of its table at least as large as
/// asked, past the table the least prime <c>p</c> above it with <c>(p - 1) % 101 != 0</c>, twice the size when full, and
/// the bucket of a hash by .NET's fast modulo.
/// Compiled with the collections that use it, so <c>EnsureCapacity</c> answers as .NET does.
/// </summary>
internal static class HashPrimes
{
    const int MaxPrimeArrayLength = 0x7FFFFFC3;

    static readonly int[] Primes =
    [
        3, 7, 11, 17, 23, 29, 37, 47, 59, 71, 89, 107, 131, 163, 197, 239, 293, 353, 431, 521, 631, 761, 919,
        1103, 1327, 1597, 1931, 2333, 2801, 3371, 4049, 4861, 5839, 7013, 8419, 10103, 12143, 14591,
        17519, 21023, 25229, 30293, 36353, 43627, 52361, 62851, 75431, 90523, 108631, 130363, 156437,
        187751, 225307, 270371, 324449, 389357, 467237, 560689, 672827, 807403, 968897, 1162687, 1395263,
        1674319, 2009191, 2411033, 2893249, 3471899, 4166287, 4999559, 5999471, 7199369,
    ];

    public static int GetPrime(int min)
    {
        foreach (int prime in Primes)
        {
            if (prime >= min)
                return prime;
        }
        for (int i = min | 1; i < int.MaxValue; i += 2)
        {
            if (IsPrime(i) && (i - 1) % 101 != 0)
                return i;
        }
        return min;
    }

    public static int ExpandPrime(int oldSize)
    {
        int newSize = 2 * oldSize;
        if ((uint)newSize > MaxPrimeArrayLength && MaxPrimeArrayLength > oldSize)
            return MaxPrimeArrayLength;
        return GetPrime(newSize);
    }

    /// <summary>The multiplier of <see cref="Bucket"/> for tables of <paramref name="size"/> buckets.</summary>
    public static ulong FastModMultiplier(int size) => ulong.MaxValue / (uint)size + 1;

    /// <summary>
    /// <c>hashCode % size</c> as .NET's 64-bit tables compute it (Lemire's fast modulo: two multiplications by the
    /// table's <see cref="FastModMultiplier"/>, instead of a division).
    /// </summary>
    public static uint Bucket(uint hashCode, ulong multiplier, int size) => (uint)(((((multiplier * hashCode) >> 32) + 1) * (uint)size) >> 32);

    static bool IsPrime(int candidate)
    {
        if ((candidate & 1) == 0)
            return candidate == 2;
        int limit = (int)Math.Sqrt(candidate);
        for (int divisor = 3; divisor <= limit; divisor += 2)
        {
            if (candidate % divisor == 0)
                return false;
        }
        return true;
    }
}
