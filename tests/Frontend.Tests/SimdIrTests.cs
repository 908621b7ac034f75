using System.Numerics;
using System.Runtime.Intrinsics;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Tests;

/// <summary>Methods whose IR the tests below read.</summary>
public static class SimdSamples
{
    public static float Sum(float[] a) => Vector.Sum(new Vector<float>(a) * 2f);

    public static int Mask(int x) => Vector128.Sum(Vector128.GreaterThan(Vector128.Create(x), Vector128<int>.Zero) & Vector128.Create(x, 1, 2, 3));
}

/// <summary>
/// SIMD vectors in the IR: a vector is an aggregate with lanes (<c>e0</c>, <c>e1</c>, … of one number type, marked
/// <c>simd</c>), laid out and aligned as a lane is; <c>simd</c> instructions print and read back; the verifier refuses
/// an operation on lanes it does not take; a vector's lane count is this process's .NET's.
/// </summary>
public sealed class SimdIrTests
{
    sealed class OwnTypes : Il.TypeContext
    {
        public override bool IsJitClass(Type type) => false;

        public override Type? ObjectFieldType(System.Reflection.FieldInfo field) => null;
    }

    static IrModule Import(string name) =>
        FrontendCompiler.Compile(typeof(SimdSamples).GetMethod(name)!, CompileOptions.Default, ScalarTypes.Instance, Passes.Pipeline.Frontend);

    [Fact]
    public void A_vector_is_an_aggregate_of_lanes_as_many_as_dotnets()
    {
        IrType vector = ScalarTypes.Instance.Map(typeof(Vector<float>))!;
        AggregateLayout layout = vector.Aggregate!;
        Assert.Equal(Vector<float>.Count, layout.Lanes);
        Assert.Equal(IrType.F32, layout.LaneType);
        Assert.Equal(4 * Vector<float>.Count, layout.Size);
        Assert.Equal(4, layout.Alignment);
        Assert.Equal(Enumerable.Range(0, layout.Lanes).Select(n => $"e{n}"), layout.Fields.Select(f => f.Name));
        Assert.EndsWith(" simd", layout.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, ScalarTypes.Instance.Map(typeof(Vector128<long>))!.Aggregate!.Lanes);
        Assert.Equal(64, ScalarTypes.Instance.Map(typeof(Vector512<byte>))!.Aggregate!.Lanes);
    }

    [Fact]
    public void Vectors_of_what_is_not_a_number_are_refused_with_the_reason()
    {
        Assert.Null(ScalarTypes.Instance.Map(typeof(Vector128<bool>)));
        Assert.Contains("hold numbers", ScalarTypes.Instance.WhyNot(typeof(Vector128<bool>)), StringComparison.Ordinal);
    }

    [Fact]
    public void Vectors_in_structs_and_arrays_sit_where_dotnet_puts_them()
    {
        // .NET aligns a Vector128 field to 16 bytes in a struct: the aggregate keeps that offset and .NET's size.
        AggregateLayout pair = ScalarTypes.Instance.Map(typeof(ValueTuple<int, Vector128<int>>))!.Aggregate!;
        Assert.Equal(System.Runtime.CompilerServices.Unsafe.SizeOf<ValueTuple<int, Vector128<int>>>(), pair.Size);
        Assert.Equal(16, pair.Fields[pair.IndexOf("Item2")].Offset);
        IrType array = ScalarTypes.Instance.Map(typeof(Vector<float>[]))!;
        Assert.Equal(IrTypeKind.Array, array.Kind);
        Assert.Equal(System.Numerics.Vector<float>.Count * 4, array.Element!.Size);
    }

    [Theory]
    [InlineData(nameof(SimdSamples.Sum), "simd Sum ")]
    [InlineData(nameof(SimdSamples.Mask), "simd GreaterThan ")]
    public void Simd_instructions_print_and_read_back(string name, string expected)
    {
        string printed = IrPrinter.Print(Import(name));
        Assert.Contains(expected, printed, StringComparison.Ordinal);
        Assert.Contains(" simd\n", printed, StringComparison.Ordinal); // the vector's declaration
        Assert.Equal(printed, IrPrinter.Print(IrParser.Parse(printed, new OwnTypes(), _ => null)));
    }

    [Fact]
    public void The_verifier_refuses_an_operation_on_lanes_it_does_not_take()
    {
        string printed = IrPrinter.Print(Import(nameof(SimdSamples.Mask)));
        var e = Assert.Throws<InvalidOperationException>(() => IrParser.Parse(printed.Replace("simd GreaterThan", "simd Sqrt", StringComparison.Ordinal), new OwnTypes(), _ => null));
        Assert.Contains("simd Sqrt of i32 lanes (floats only)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vector_written_with_other_lanes_than_its_name_has_is_refused()
    {
        string printed = IrPrinter.Print(Import(nameof(SimdSamples.Mask)));
        var types = new OwnTypes();
        types.VectorOf("Vector128<Int32>", IrType.I32, 4);
        var e = Assert.Throws<FormatException>(() => IrParser.Parse(printed.Replace("{ i32 e0 @0, i32 e1 @4, i32 e2 @8, i32 e3 @12 } size 16 align 4 simd",
            "{ i32 e0 @0, i32 e1 @4, i32 e2 @8, i32 e3 @12 } size 16 align 4", StringComparison.Ordinal), types, _ => null));
        Assert.Contains("not as written", e.Message, StringComparison.Ordinal);
    }
}
