using System.Reflection;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Tests;

/// <summary>IR types belong to the type context that made them: interned there, refused elsewhere.</summary>
public sealed class TypeContextTests
{
    sealed class OwnTypes : TypeContext
    {
        public override bool IsJitClass(Type type) => false;

        public override Type? ObjectFieldType(FieldInfo field) => null;
    }

    [Fact]
    public void A_context_interns_its_types_and_well_known_ones_are_shared()
    {
        var types = new OwnTypes();
        Assert.Same(types.ArrayOf(IrType.F64, 2), types.ArrayOf(IrType.F64, 2));
        Assert.Same(types.ByRefTo(types.ArrayOf(IrType.I32)), types.ByRefTo(types.ArrayOf(IrType.I32)));
        Assert.Same(types, types.ArrayOf(IrType.F64).Context);
        Assert.Null(IrType.F64.Context);
        Assert.Same(types.ArrayOf(IrType.I32), types.Map(typeof(int[])));
    }

    [Fact]
    public void Two_contexts_do_not_share_types_and_refuse_each_others()
    {
        var one = new OwnTypes();
        var other = new OwnTypes();
        Assert.NotSame(one.ArrayOf(IrType.I32), other.ArrayOf(IrType.I32));
        var e = Assert.Throws<ArgumentException>(() => other.ByRefTo(one.ArrayOf(IrType.I32)));
        Assert.Contains("another type context", e.Message);
    }

    [Fact]
    public void Types_of_one_shape_from_two_contexts_compare_equal_by_shape()
    {
        var one = new OwnTypes();
        var other = new OwnTypes();
        IrTypeShape shape = IrTypeShape.Instance;
        Assert.True(shape.Equals(one.ByRefTo(one.ArrayOf(IrType.F64, 2)), other.ByRefTo(other.ArrayOf(IrType.F64, 2))));
        Assert.Equal(shape.GetHashCode(one.ArrayOf(IrType.I32)), shape.GetHashCode(other.ArrayOf(IrType.I32)));
        Assert.False(shape.Equals(one.ArrayOf(IrType.I32), other.ArrayOf(IrType.I32, 2)));
        Assert.False(shape.Equals(one.ArrayOf(IrType.I32), other.ArrayOf(IrType.U32)));
        Assert.True(shape.Equals(one.AggregateOf("P", [("X", IrType.F64)]), other.AggregateOf("P", [("X", IrType.F64)])));
        Assert.False(shape.Equals(one.AggregateOf("Q", [("X", IrType.F64)]), other.AggregateOf("Q", [("Y", IrType.F64)])));
    }

    [Fact]
    public void An_aggregate_is_laid_out_in_c_order_and_knows_its_counted_leaves()
    {
        var types = new OwnTypes();
        IrType inner = types.AggregateOf("Pair", [("Flag", IrType.I8), ("Value", IrType.F64), ("Count", IrType.I32)]);
        Assert.Equal([0, 8, 16], inner.Aggregate!.Fields.Select(f => f.Offset));
        Assert.Equal((24, 8), (inner.Size, inner.Alignment));
        Assert.Empty(inner.Aggregate.CountedLeaves);
        Assert.False(inner.HoldsCounted);
        IrType outer = types.AggregateOf("Holder", [("Tag", IrType.U16), ("Data", types.ArrayOf(IrType.F32)), ("Inner", inner)]);
        Assert.Equal([0, 8, 16], outer.Aggregate!.Fields.Select(f => f.Offset));
        CountedLeaf data = Assert.Single(outer.Aggregate.CountedLeaves); // the array; Inner holds no reference
        Assert.Equal(("1", 8), (string.Join('.', data.Path), data.Offset));
        IrType nested = types.AggregateOf("Nest", [("Scale", IrType.F64), ("Holder", outer), ("Also", types.ArrayOf(IrType.I32))]);
        Assert.True(nested.HoldsCounted);
        Assert.Equal(["1.1@16", "2@48"], nested.Aggregate!.CountedLeaves.Select(l => $"{string.Join('.', l.Path)}@{l.Offset}"));
        Assert.Same(inner, types.AggregateOf("Pair", [("Flag", IrType.I8), ("Value", IrType.F64), ("Count", IrType.I32)]));
        Assert.Throws<ArgumentException>(() => types.AggregateOf("Pair", [("Value", IrType.F64)]));
        Assert.Throws<ArgumentException>(() => types.AggregateOf("Bad", [("Where", types.ByRefTo(IrType.F64))]));
        Assert.Equal("{ i8 Flag @0, f64 Value @8, i32 Count @16 } size 24 align 8", inner.Aggregate.ToString());
    }

    [Fact]
    public void Aggregates_print_at_the_head_of_the_module_and_parse_back()
    {
        const string Text = """
            type Pair = { i8 Flag @0, f64 Value @8 } size 16 align 8
            type Holder = { f32[] Data @0, Pair Inner @8 } size 24 align 8

            function Keep(Holder) -> Holder
              slots: s0:Holder s1:Pair
            block0(v0: Holder):
              store_slot s0, v0                                ; IL_0000
              v1: Holder = load_slot s0                        ; IL_0001
              jump block1(v1)                                  ; IL_0002
            block1(v2: Holder):
              return v2                                        ; IL_0003


            """;
        var types = new OwnTypes();
        IrModule module = IrParser.Parse(Text, types, _ => null);
        Assert.Equal(Text, IrPrinter.Print(module));
        Assert.Same(types.AggregateNamed("Holder"), module.Entry.ReturnType);
        var wrong = Assert.Throws<FormatException>(() => IrParser.Parse(Text.Replace("size 16 align 8", "size 12 align 4", StringComparison.Ordinal), new OwnTypes(), _ => null));
        Assert.Contains("field Value at 8 runs past the size 12", wrong.Message);
        var misaligned = Assert.Throws<FormatException>(() => IrParser.Parse(Text.Replace("f64 Value @8", "f64 Value @4", StringComparison.Ordinal), new OwnTypes(), _ => null));
        Assert.Contains("misaligned", misaligned.Message);
        var aligned = Assert.Throws<FormatException>(() => IrParser.Parse(Text.Replace("size 16 align 8", "size 16 align 4", StringComparison.Ordinal), new OwnTypes(), _ => null));
        Assert.Contains("aligned to 8, not as written", aligned.Message);
    }
}
