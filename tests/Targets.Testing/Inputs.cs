namespace Targets.Testing;

/// <summary>
/// Deterministic argument tuples for a corpus method, capped at <see cref="MaxCases"/>: every edge
/// value of every parameter at least once; random tuples from a seed derived from the method's name;
/// for every pair of parameters, the cross product of their first few edge values (6 for two
/// parameters, fewer as pairs multiply)
/// (the lists start with the values that matter most together: 0, 1, -1, MinValue, MaxValue, NaN,
/// infinities — so int.MinValue / -1 and x / 0 always meet); then a spread of the first two
/// parameters' whole cross product.
/// </summary>
public static class Inputs
{
    public const int MaxCases = 130;
    const int RandomTuples = 20;

    public static List<object?[]> For(Type[] parameterTypes, string methodKey)
    {
        var random = new Random(StableSeed(methodKey));
        var edges = parameterTypes.Select(t => Edges(t, random)).ToArray();
        var cases = new List<object?[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(object?[] tuple)
        {
            if (cases.Count < MaxCases && seen.Add(Format.Tuple(tuple)))
                cases.Add(tuple);
        }

        if (parameterTypes.Length == 0)
        {
            cases.Add([]);
            return cases;
        }

        // Every edge value of every parameter; parameters step together, so arrays of the same
        // variant (hence the same length) meet.
        int longest = edges.Max(e => e.Length);
        for (int i = 0; i < longest; i++)
            Add(edges.Select(e => e[i % e.Length]).ToArray());

        for (int i = 0; i < RandomTuples; i++)
            Add(parameterTypes.Select((t, p) => t.IsArray || random.Next(3) == 0 ? edges[p][random.Next(edges[p].Length)] : RandomValue(t, random)).ToArray());

        int head = parameterTypes.Length switch { <= 2 => 6, 3 => 5, 4 => 4, _ => 3 };
        for (int p = 0; p < parameterTypes.Length; p++)
        {
            for (int q = p + 1; q < parameterTypes.Length; q++)
            {
                for (int i = 0; i < Math.Min(head, edges[p].Length); i++)
                {
                    for (int j = 0; j < Math.Min(head, edges[q].Length); j++)
                    {
                        // Parameters outside the pair take a plain value: 1 (or the second edge), or
                        // the length-17 array of edge values.
                        var tuple = parameterTypes.Select((t, r) => edges[r][Math.Min(t.IsArray ? 2 : 1, edges[r].Length - 1)]).ToArray();
                        tuple[p] = edges[p][i];
                        tuple[q] = edges[q][j];
                        Add(tuple);
                    }
                }
            }
        }

        if (parameterTypes.Length >= 2)
        {
            // A spread of the first two parameters' cross product, the rest rotating.
            int n0 = edges[0].Length, n1 = edges[1].Length;
            int total = n0 * n1;
            int stride = Math.Max(1, total / MaxCases) | 1;
            for (int k = 0, idx = 7 % total; k < total && cases.Count < MaxCases; k++, idx = (idx + stride) % total)
            {
                var tuple = new object?[parameterTypes.Length];
                tuple[0] = edges[0][idx / n1];
                tuple[1] = edges[1][idx % n1];
                for (int p = 2; p < tuple.Length; p++)
                    tuple[p] = edges[p][(idx + p) % edges[p].Length];
                Add(tuple);
            }
        }
        return cases;
    }

    /// <summary>A copy of the arguments that shares no array with the original.</summary>
    public static object?[] Clone(object?[] args) =>
        args.Select(a => a is Array array ? array.Clone() : a).ToArray();

    static int StableSeed(string key)
    {
        uint hash = 2166136261;
        foreach (char c in key)
            hash = (hash ^ c) * 16777619;
        return (int)(hash & 0x7fffffff);
    }

    /// <summary>Strings: empty, null, repeats (searches find a second match), a '\0' inside and at the end, past Latin-1, a lone surrogate, prefixes of each other.</summary>
    static readonly string?[] StringEdges =
        ["", "a", "abc", null, "abcabc", "ab", "bc", "\0", "a\0", "h\u00e9llo", "xyz", "A b\tC 12", "abcdefghijklmnopqrstuvwxyz", "\ud800x", "ab\0c", "ba"];

    /// <summary>The edge values of a parameter type: its scalars', its arrays' variants, strings; NotSupportedException for a type the harness cannot feed.</summary>
    public static object?[] Edges(Type t, Random random)
    {
        if (t == typeof(string))
            return StringEdges;
        if (t.IsArray)
            return ArrayVariants(t, random);
        return ScalarEdges(t);
    }

    public static object[] ScalarEdges(Type t)
    {
        if (t == typeof(bool)) return [false, true];
        if (t == typeof(char)) return ['\0', 'a', '\uffff', 'A', '0', ' ', '\u0001', '9', 'Z', 'z', '\u007f', '\u00ff', '\u0100', '\ud800'];
        if (t == typeof(sbyte)) return Box<sbyte>([0, 1, -1, sbyte.MinValue, sbyte.MaxValue, 2, -2, 7, 64]);
        if (t == typeof(byte)) return Box<byte>([0, 1, byte.MaxValue, 128, 127, 2, 254, 7, 64]);
        if (t == typeof(short)) return Box<short>([0, 1, -1, short.MinValue, short.MaxValue, 2, 255, 256, -129, 1000]);
        if (t == typeof(ushort)) return Box<ushort>([0, 1, ushort.MaxValue, 32768, 32767, 2, 255, 256, 1000]);
        if (t == typeof(int)) return Box<int>([0, 1, -1, int.MinValue, int.MaxValue, 2, -2, 3, 7, 10, 31, 32, 33, 63, 64, 100, 255, 256, 65535, 65536, -129, int.MinValue + 1, int.MaxValue - 1, 46341, -1000]);
        if (t == typeof(uint)) return Box<uint>([0, 1, uint.MaxValue, 0x80000000, 0x7fffffff, 2, 3, 7, 31, 32, 33, 63, 64, 255, 256, 65536, uint.MaxValue - 1, 1000]);
        if (t == typeof(long)) return Box<long>([0, 1, -1, long.MinValue, long.MaxValue, 2, -2, 7, 31, 32, 63, 64, 65, 255, int.MaxValue, int.MinValue, 0x1_0000_0000, long.MinValue + 1, long.MaxValue - 1, 3037000500, -1000]);
        if (t == typeof(ulong)) return Box<ulong>([0, 1, ulong.MaxValue, 0x8000_0000_0000_0000, long.MaxValue, 2, 7, 31, 32, 63, 64, 65, 255, uint.MaxValue, 0x1_0000_0000, ulong.MaxValue - 1, 1000]);
        if (t == typeof(nint)) return Box<nint>([0, 1, -1, nint.MinValue, nint.MaxValue, 2, 7, 31, 32, 63, 64, 65, int.MaxValue, int.MinValue, unchecked((nint)0x1_0000_0000L), -1000]);
        if (t == typeof(nuint)) return Box<nuint>([0, 1, nuint.MaxValue, unchecked((nuint)long.MaxValue), uint.MaxValue, 2, 7, 31, 32, 63, 64, 65, unchecked((nuint)0x1_0000_0000UL), nuint.MaxValue - 1, 1000]);
        if (t == typeof(float))
            return Box<float>([0f, 1f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -1f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 3.7f, -3.7f,
                float.MinValue, float.MaxValue, float.Epsilon, -float.Epsilon, 1.17549435E-38f, 127.5f, 255.9f, 32768f,
                2147483520f, 2147483648f, -2147483648f, 4294967296f, 9.223372E18f, 1.8446744E19f, 1e-7f, 100f,
                0.49999997f, 8388609f, -8388609f, 16777217f, 0.1f]);
        if (t == typeof(double))
            return Box<double>([0d, 1d, -0d, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1d, 0.5, -0.5, 1.5, 2.5, -2.5, 3.7, -3.7,
                double.MinValue, double.MaxValue, double.Epsilon, -double.Epsilon, 2.2250738585072014E-308, 127.5, 255.9,
                32768.0, 2147483647.0, 2147483647.5, 2147483648.0, -2147483648.0, -2147483649.0, 4294967295.0, 4294967296.0,
                9.2233720368547758E18, -9.2233720368547758E18, 1.8446744073709552E19, 1e-300, 100.0, Math.PI,
                0.49999999999999994, 4503599627370497.0, -4503599627370497.0, 1e308, 0.1]);
        throw new NotSupportedException($"the harness has no inputs for parameter type {t}");
    }

    static object[] Box<T>(T[] values) => values.Select(v => (object)v!).ToArray();

    static object?[] ArrayVariants(Type arrayType, Random random)
    {
        Type e = arrayType.GetElementType()!;
        object[] edges = ScalarEdges(e);
        if (arrayType.GetArrayRank() == 1)
        {
            Array Vector(int length, bool fromEdges)
            {
                var a = Array.CreateInstance(e, length);
                for (int i = 0; i < length; i++)
                    a.SetValue(fromEdges ? edges[i % edges.Length] : RandomValue(e, random), i);
                return a;
            }
            return [Vector(0, true), Vector(1, true), Vector(17, true), Vector(8, false), Vector(33, false), Vector(5, false), Vector(2, false)];
        }
        Array Matrix(int rows, int cols, bool fromEdges)
        {
            var a = Array.CreateInstance(e, rows, cols);
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    a.SetValue(fromEdges ? edges[(i * cols + j) % edges.Length] : RandomValue(e, random), i, j);
            return a;
        }
        return [Matrix(0, 0, true), Matrix(1, 1, true), Matrix(3, 4, true), Matrix(4, 3, false), Matrix(4, 4, false), Matrix(2, 5, false), Matrix(3, 3, false)];
    }

    static object RandomValue(Type t, Random r)
    {
        bool small = r.Next(2) == 0;
        long bits = r.NextInt64(long.MinValue, long.MaxValue);
        long smallValue = r.Next(-100, 101);
        long v = small ? smallValue : bits;
        if (t == typeof(bool)) return r.Next(2) == 1;
        if (t == typeof(string))
            return small ? StringEdges[r.Next(StringEdges.Length)] ?? "" : new string([.. Enumerable.Range(0, r.Next(12)).Select(_ => (char)r.Next('a', 'e'))]);
        if (t == typeof(char)) return small ? (char)r.Next(32, 127) : (char)bits;
        if (t == typeof(sbyte)) return unchecked((sbyte)v);
        if (t == typeof(byte)) return unchecked((byte)v);
        if (t == typeof(short)) return unchecked((short)v);
        if (t == typeof(ushort)) return unchecked((ushort)v);
        if (t == typeof(int)) return unchecked((int)v);
        if (t == typeof(uint)) return unchecked((uint)v);
        if (t == typeof(long)) return v;
        if (t == typeof(ulong)) return unchecked((ulong)v);
        if (t == typeof(nint)) return (nint)v;
        if (t == typeof(nuint)) return unchecked((nuint)v);
        if (t == typeof(float))
            return small ? (float)((r.NextDouble() - 0.5) * 2000) : BitConverter.Int32BitsToSingle((int)bits);
        if (t == typeof(double))
            return small ? (r.NextDouble() - 0.5) * 2000 : BitConverter.Int64BitsToDouble(bits);
        throw new NotSupportedException($"the harness has no random values for type {t}");
    }
}
