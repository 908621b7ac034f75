using System.Runtime.InteropServices;

namespace Targets.JitClasses.Tests;

/// <summary>Spec forms, C layout, distinct types and the errors of JitClass.Define (ported from Numba's test_jitclasses spec cases).</summary>
public sealed class JitClassTypeTests
{
    [Fact]
    public void Layout_equals_a_sequential_struct_with_the_same_fields()
    {
        JitClassType mixed = JitClass.Define<Mixed>();
        Assert.Equal(Marshal.SizeOf<MixedStruct>(), mixed.Size);
        Assert.Equal(8, mixed.Alignment);
        foreach (JitField field in mixed.Fields)
            Assert.Equal((int)Marshal.OffsetOf<MixedStruct>(field.Name), field.Offset);
        Assert.Equal(["Flag", "Value", "Small", "Counts", "Letter", "Ratio", "Tiny"], mixed.Fields.Select(f => f.Name));
        Assert.Equal(JitType.ArrayOf(JitType.Int32), mixed.Field("Counts").Type);
    }

    [Fact]
    public void Each_define_is_a_new_distinct_type()
    {
        JitClassType a = JitClass.Define<Vec>(), b = JitClass.Define<Vec>();
        Assert.NotSame(a, b);
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(a.Size, b.Size);
    }

    [Fact]
    public void An_explicit_spec_must_match_the_fields()
    {
        JitClassType vec = JitClass.Define<Vec>(new JitSpec { { "X", JitType.Int32 }, { "Y", JitType.Float32 } });
        Assert.Equal((8, 4), (vec.Size, vec.Alignment));
        Assert.Contains("'Z'", Assert.Throws<ArgumentException>(() => JitClass.Define<Vec>(new JitSpec { { "X", JitType.Int32 }, { "Y", JitType.Float32 }, { "Z", JitType.Int32 } })).Message);
        Assert.Contains("field 'Y'", Assert.Throws<ArgumentException>(() => JitClass.Define<Vec>(new JitSpec { { "X", JitType.Int32 } })).Message);
        string mismatch = Assert.Throws<ArgumentException>(() => JitClass.Define<Vec>(new JitSpec { { "X", JitType.Int64 }, { "Y", JitType.Float32 } })).Message;
        Assert.Contains("Vec", mismatch);
        Assert.Contains("'X'", mismatch);
        Assert.Throws<ArgumentException>(() => new JitSpec { { "X", JitType.Int32 }, { "X", JitType.Int32 } });
    }

    [Fact]
    public void Spec_order_decides_the_layout()
    {
        JitClassType swapped = JitClass.Define<Vec>(new JitSpec { { "Y", JitType.Float32 }, { "X", JitType.Int32 } });
        Assert.Equal(0, swapped.Field("Y").Offset);
        Assert.Equal(4, swapped.Field("X").Offset);
    }

    [Fact]
    public void Object_fields_take_their_type_from_the_spec_and_need_one()
    {
        JitClassType untyped = JitClass.Define<Untyped>(new JitSpec { { "Payload", JitType.ArrayOf(JitType.Float64, 2) }, { "Count", JitType.Int64 } });
        Assert.Equal(typeof(double[,]), untyped.Field("Payload").Type.ClrType);
        var error = Assert.Throws<CompilationException>(() => JitClass.Define<Untyped>());
        Assert.Equal(CompilationErrorKind.UnsupportedType, error.Kind);
        Assert.Contains("Payload", error.Message);
    }

    [Fact]
    public void Self_references_auto_properties_and_empty_classes_are_fine()
    {
        JitClassType node = JitClass.Define<Node>();
        Assert.Equal(typeof(Node), node.Field("Next").Type.InstanceOf);
        Assert.Equal((16, 8), (node.Size, node.Alignment));
        Assert.Equal("Length", Assert.Single(JitClass.Define<WithProperty>().Fields).Name);
        Assert.Equal((1, 1), (JitClass.Define<Empty>().Size, JitClass.Define<Empty>().Alignment));
        Assert.Single(JitClass.Define<Constants>().Fields); // const and static readonly are allowed
    }

    [Fact]
    public void Arrays_of_instances_are_reference_fields()
    {
        JitClassType tree = JitClass.Define<Tree>();
        Assert.Equal(JitType.ArrayOf(JitType.Instance(typeof(Tree))), tree.Field("Children").Type);
        Assert.Equal(typeof(Tree[]), tree.Field("Children").Type.ClrType);
        Assert.Equal(JitType.ArrayOf(JitType.Instance(typeof(Vec)), 2), tree.Field("Grid").Type);
        Assert.True(tree.Field("Grid").Type.IsReference);
        Assert.Equal((16, 8, 8), (tree.Size, tree.Alignment, tree.Field("Grid").Offset));
        // An array of arrays (jagged) is a reference field too: its rows are the array's to release.
        Assert.Equal(JitType.ArrayOf(JitType.ArrayOf(JitType.Instance(typeof(Tree)))), JitType.FromClr(typeof(Tree[][])));
        Assert.True(JitType.FromClr(typeof(Tree[][]))!.IsReference);
        Assert.Null(JitType.FromClr(typeof(string[][])));
    }

    [Fact]
    public void Struct_fields_that_hold_references_list_them_at_their_offsets_in_the_instance()
    {
        JitType pocket = JitType.Struct(typeof(Pocket))!;
        int coins = Offset<Pocket>(nameof(Pocket.Coins)), owner = Offset<Pocket>(nameof(Pocket.Owner));
        Assert.Equal(new[] { new JitReference(coins, true), new JitReference(owner, false) }.OrderBy(r => r.Offset), pocket.References.OrderBy(r => r.Offset));
        Assert.True(pocket.IsStructWithReferences);
        Assert.False(pocket.IsReference);

        JitClassType purse = JitClass.Define<Purse>();
        int main = purse.Field("Main").Offset, left = Offset<Wallet>(nameof(Wallet.Left)), right = Offset<Wallet>(nameof(Wallet.Right));
        var expected = new List<JitReference>();
        foreach (int at in new[] { main + left, main + right })
            expected.AddRange(pocket.References.Select(r => r with { Offset = at + r.Offset }));
        expected.Add(new JitReference(purse.Field("Spares").Offset, true));
        Assert.Equal(expected.OrderBy(r => r.Offset), purse.References.OrderBy(r => r.Offset));
        Assert.True(purse.Field("Spares").Type.IsStructWithReferences); // an array of such structs: a box cannot hand it to .NET

        Assert.Null(JitType.Struct(typeof(Recursive)));
        Assert.Empty(JitType.Struct(typeof(MixedStruct))?.References ?? []);
    }

    /// <summary>A field's offset in a struct as the runtime lays it out (not Marshal's).</summary>
    static int Offset<T>(string field) => Frontend.Il.ManagedLayout.Of(typeof(T)) is var layout ? layout.Offsets[Array.FindIndex(layout.Fields, f => f.Name == field)] : -1;

    public static TheoryData<Type, string, CompilationErrorKind> Rejected => new()
    {
        { typeof(WithString), "field 'Name' of type String", CompilationErrorKind.UnsupportedType },
        { typeof(Derived), "base class Base", CompilationErrorKind.UnsupportedConstruct },
        { typeof(Virtual), "generic virtual member Pick", CompilationErrorKind.UnsupportedConstruct },
        { typeof(Finalized), "a finalizer", CompilationErrorKind.UnsupportedConstruct },
        { typeof(StaticCounter), "static mutable field Count", CompilationErrorKind.UnsupportedConstruct },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Unsupported_classes_are_rejected_naming_the_class_and_the_member(Type type, string construct, CompilationErrorKind kind)
    {
        var error = Assert.Throws<CompilationException>(() => JitClass.Define(type, null));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(type.Name, error.MethodName);
        Assert.Contains(construct, error.Message);
    }

    [Fact]
    public void Jit_types_come_from_dotnet_types()
    {
        Assert.Same(JitType.Float64, JitType.FromClr(typeof(double)));
        Assert.Equal(JitType.ArrayOf(JitType.UInt8), JitType.FromClr(typeof(byte[])));
        Assert.Null(JitType.FromClr(typeof(string)));
        Assert.Null(JitType.FromClr(typeof(Action)));
        Assert.Equal(typeof(int[][]), JitType.ArrayOf(JitType.ArrayOf(JitType.Int32)).ClrType);
        Assert.Throws<ArgumentOutOfRangeException>(() => JitType.ArrayOf(JitType.Int32, 33));
        Assert.Throws<ArgumentException>(() => JitClass.Define<Vec>().Field("Nope"));
    }
}
