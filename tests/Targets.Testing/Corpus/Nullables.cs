using System;

namespace Corpus;

// Nullable<T>: HasValue, Value (InvalidOperationException when empty), GetValueOrDefault, ??,
// lifted arithmetic and comparisons, 'is int v' patterns, nullable structs and enums.
public static class Nullables
{
    public static int FirstNegative(int[] values)
    {
        int? found = null;
        foreach (int v in values)
        {
            if (v < 0)
            {
                found = v;
                break;
            }
        }
        return found ?? 0;
    }

    public static int Value(int x, bool present)
    {
        int? n = present ? x : null;
        return n.Value; // throws InvalidOperationException when empty, as in .NET
    }

    public static double Lifted(double a, bool hasA, double b, bool hasB)
    {
        double? x = hasA ? a : null;
        double? y = hasB ? b : null;
        double? sum = x + y;
        double? product = x * 2;
        return (sum ?? -1) + product.GetValueOrDefault() + (sum.HasValue ? 100 : 0);
    }

    public static int Comparisons(int a, bool hasA, int b, bool hasB)
    {
        int? x = hasA ? a : null;
        int? y = hasB ? b : null;
        int score = 0;
        if (x < y) score += 1;
        if (x == y) score += 2;
        if (x != null) score += 4;
        if (x >= 3) score += 8;
        return score;
    }

    public static long Patterns(long a, bool present)
    {
        long? n = present ? a : null;
        if (n is long v && v > 10)
            return v;
        return n is null ? -1 : 0;
    }

    public static double NullableStruct(double x, bool present)
    {
        Vec3? v = present ? new Vec3(x, 1, 2) : null;
        return v.HasValue ? v.Value.Length : v.GetValueOrDefault().Y - 1;
    }

    public static int NullableEnum(int x, bool present)
    {
        Plain? c = present ? (Plain)(x % 3) : null;
        return c switch { Plain.Red => 1, Plain.Green => 2, Plain.Blue => 3, null => -1, _ => 0 };
    }
}
