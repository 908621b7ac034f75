#pragma warning disable CA1051 // a struct of the field it holds, as users write it
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Targets.Cpu.Tests;

/// <summary>A jit class holding a vector: its field is read and written in the heap, aligned as a lane.</summary>
[JitClass]
public sealed class VectorHolder
{
    public float Before;
    public Vector256<float> Lanes;

    public VectorHolder(float x)
    {
        Before = x;
        Lanes = Vector256.Create(x, 1, 2, 3, 4, 5, 6, 7);
    }

    public void Scale(float k) => Lanes *= k;

    public float Total() => Vector256.Sum(Lanes) + Before;
}

/// <summary>Methods .NET calls with vectors, and vector code compiled code refuses.</summary>
public static class SimdCode
{
    public static Vector<float> Twice(Vector<float> v) => v * 2;

    public static Vector128<int> Add(Vector128<int> v, int k) => v + Vector128.Create(k);

    public static double SumOfSquares(Vector256<double> v) => Vector256.Sum(v * v);

    public static Vector512<byte> Increment(ref Vector512<byte> v)
    {
        v += Vector512<byte>.One;
        return v;
    }

    public struct Holder
    {
        public int Before;
        public Vector256<float> Value;
    }

    public static float FromField(Holder h) => h.Value.ToScalar();

    public static float FromArrayOfVectors(Vector128<float>[] a) => a[0].ToScalar();

    public static Holder[] Scaled(Holder[] a, float k)
    {
        var made = new Holder[a.Length];
        for (int i = 0; i < a.Length; i++)
            made[i] = new Holder { Before = a[i].Before + 1, Value = a[i].Value * k };
        return made;
    }

    public static void Double(Vector256<float>[] a)
    {
        for (int i = 0; i < a.Length; i++)
            a[i] *= 2;
    }

    public static float HeldByAnInstance(float x)
    {
        var held = new VectorHolder(x);
        held.Scale(2);
        return held.Total();
    }

    public static float Unchecked(float[] a) => Vector128.LoadUnsafe(ref a[0]).ToScalar();

    public static Vector256<float> Widened(Vector256<short> v) => Vector256.ConvertToSingle(Vector256.WidenLower(v));
}

/// <summary>
/// SIMD vectors cross between .NET and compiled code as .NET's own structs (by <c>Invoke</c>, a typed delegate and by
/// reference; .NET's stack copies are not aligned to a vector's size, and nothing assumes they are), with nothing
/// allocated; vectors in structs and arrays have .NET's layout (a field at .NET's offset, aligned to its size there);
/// an unchecked load and a member outside the supported list are refused with the reason; a jit class's vector field
/// lives in the heap, aligned as a lane. The corpus's Simd section checks the operations against .NET.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class SimdTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Vectors_cross_from_and_to_dotnet()
    {
        var v = new Vector<float>([.. Enumerable.Range(1, Vector<float>.Count).Select(n => (float)n)]);
        NrtStats before = Nrt.GetAllocationStats();
        CompiledFunction twice = Cpu.Compile(SimdCode.Twice);
        Assert.Equal(SimdCode.Twice(v), (Vector<float>)twice.Invoke(v)!);
        Assert.Equal(SimdCode.Twice(v), twice.AsDelegate<Func<Vector<float>, Vector<float>>>()(v));
        var add = Cpu.Compile(SimdCode.Add).AsDelegate<Func<Vector128<int>, int, Vector128<int>>>();
        Assert.Equal(Vector128.Create(11, 12, 13, int.MinValue), add(Vector128.Create(1, 2, 3, int.MaxValue - 9), 10));
        var squares = Cpu.Compile(SimdCode.SumOfSquares).AsDelegate<Func<Vector256<double>, double>>();
        Assert.Equal(SimdCode.SumOfSquares(Vector256.Create(1.5, -2, 3, 1e300)), squares(Vector256.Create(1.5, -2, 3, 1e300)));
        Assert.Equal(0, Nrt.GetAllocationStats().Since(before).Alloc);
    }

    [Fact]
    public void A_vector_field_of_a_jit_class_is_read_and_written_in_place()
    {
        NrtStats before = Nrt.GetAllocationStats();
        var held = Cpu.Compile(SimdCode.HeldByAnInstance).AsDelegate<Func<float, float>>();
        Assert.Equal(SimdCode.HeldByAnInstance(1.25f), held(1.25f));
        Assert.Equal(SimdCode.HeldByAnInstance(float.NaN), held(float.NaN));
        NrtStats after = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(after.Alloc, after.Free);
    }

    delegate Vector512<byte> ByRef(ref Vector512<byte> v);

    [Fact]
    public void A_vector_by_reference_is_read_and_written_in_place()
    {
        var increment = Cpu.Compile(SimdCode.Increment).AsDelegate<ByRef>();
        Vector512<byte> v = Vector512.Create((byte)254);
        Vector512<byte> returned = increment(ref v);
        Assert.Equal(Vector512<byte>.AllBitsSet, v);
        Assert.Equal(v, returned);
        increment(ref v);
        Assert.Equal(Vector512<byte>.Zero, v); // wraps, as .NET's does
    }

    [Fact]
    public void Vectors_in_structs_and_arrays_share_dotnets_layout()
    {
        var holder = new SimdCode.Holder { Before = 3, Value = Vector256.Create(1f, 2, 3, 4, 5, 6, 7, 8) };
        Assert.Equal(1f, Cpu.Compile(SimdCode.FromField).AsDelegate<Func<SimdCode.Holder, float>>()(holder));
        Assert.Equal(-2.5f, Cpu.Compile(SimdCode.FromArrayOfVectors).AsDelegate<Func<Vector128<float>[], float>>()([Vector128.Create(-2.5f), Vector128<float>.One]));
        SimdCode.Holder[] holders = [holder, new() { Before = -1, Value = Vector256.Create(0.5f) }];
        NrtStats before = Nrt.GetAllocationStats();
        SimdCode.Holder[] scaled = Cpu.Compile(SimdCode.Scaled).AsDelegate<Func<SimdCode.Holder[], float, SimdCode.Holder[]>>()(holders, 3);
        Assert.Equal(SimdCode.Scaled(holders, 3), scaled);
        NrtStats after = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(after.Alloc, after.Free);
        Vector256<float>[] vectors = [Vector256.Create(1f), Vector256.Create(-3f), Vector256<float>.Indices];
        Cpu.Compile(SimdCode.Double).AsDelegate<Action<Vector256<float>[]>>()(vectors);
        Assert.Equal([Vector256.Create(2f), Vector256.Create(-6f), Vector256<float>.Indices * 2], vectors);
    }

    [Theory]
    [InlineData(nameof(SimdCode.Unchecked), "calling Vector128.LoadUnsafe is not supported")]
    [InlineData(nameof(SimdCode.Widened), "Vector256.WidenLower(Vector256`1) is not supported")]
    public void What_compiled_code_does_not_offer_is_refused_with_the_reason(string name, string expected)
    {
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(typeof(SimdCode).GetMethod(name)!));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
