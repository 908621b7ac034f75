using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Targets.Frontend.Ir;

namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // the structs under test are made of public fields

public struct Body
{
    public double X, Y, Z;
    public float Mass;
    public bool Fixed;
}

public struct Flagged
{
    public byte A;
    public bool B;
    public int C;
    public char D;
}

public struct Spread
{
    public byte A;
    public long B;
    public byte C;
}

[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct PackedMisaligned
{
    public byte A;
    public double B;
}

[StructLayout(LayoutKind.Explicit)]
public struct Union
{
    [FieldOffset(0)] public int Bits;
    [FieldOffset(0)] public float Value;
}

public struct WithText
{
    public string Text;
}

public enum Shade : short { Dark = -1, Mid = 0, Light = 1 }

public static class BoundaryCode
{
    public static Body Moved(Body b, double dx) => new() { X = b.X + dx, Y = b.Y, Z = b.Z * 2, Mass = b.Mass, Fixed = !b.Fixed };

    public static double Kinetic(Body[] bodies)
    {
        double total = 0;
        for (int i = 0; i < bodies.Length; i++)
        {
            bodies[i].Mass += 1; // written into .NET's own array
            total += bodies[i].Mass * (bodies[i].X * bodies[i].X + bodies[i].Y * bodies[i].Y);
        }
        return total;
    }

    public static Shade Lighter(Shade s) => s == Shade.Light ? s : (Shade)((short)s + 1);

    public static int? Halve(int? x) => x / 2;

    public static (int Sum, double Mean) Stats(int[] values)
    {
        int sum = 0;
        foreach (int v in values)
            sum += v;
        return (sum, values.Length == 0 ? 0 : (double)sum / values.Length);
    }

    public static Complex Square(Complex z) => z * z;

    public static int Text(WithText t) => 0;

    public static int Packed(PackedMisaligned p) => p.A;

    public static int Overlaps(Union u) => u.Bits;
}

/// <summary>
/// Structs and enums at the host boundary (Invoke, typed delegates, arrays shared without copies),
/// and struct layouts: the aggregate's offsets and size are the running runtime's, checked against
/// addresses taken here, for a table of shapes (bool/char fields, padding, Auto-layout tuples, BCL structs).
/// </summary>
public sealed class ValueTypeBoundaryTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    static AggregateLayout LayoutOf(Type type) =>
        Cpu.Layouts.Map(type)?.Aggregate ?? throw new InvalidOperationException($"{type} has no aggregate: {Cpu.Layouts.WhyNot(type)}");

    static int Offset<T>(ref T value, ref byte field) => (int)Unsafe.ByteOffset(ref Unsafe.As<T, byte>(ref value), ref field);

    [Fact]
    public void Layouts_are_the_runtimes_managed_layouts()
    {
        var flagged = default(Flagged);
        AggregateLayout f = LayoutOf(typeof(Flagged));
        Assert.Equal(Unsafe.SizeOf<Flagged>(), f.Size);
        Assert.Equal([0, Offset(ref flagged, ref Unsafe.As<bool, byte>(ref flagged.B)), Offset(ref flagged, ref Unsafe.As<int, byte>(ref flagged.C)), Offset(ref flagged, ref Unsafe.As<char, byte>(ref flagged.D))],
            f.Fields.Select(x => x.Offset));
        Assert.Equal([1, 4, 8], f.Fields.Skip(1).Select(x => x.Offset)); // the managed layout, not Marshal's (a bool is 4 bytes there)

        var spread = default(Spread);
        AggregateLayout s = LayoutOf(typeof(Spread));
        Assert.Equal((Unsafe.SizeOf<Spread>(), Offset(ref spread, ref Unsafe.As<long, byte>(ref spread.B)), Offset(ref spread, ref spread.C)), (s.Size, s.Fields[1].Offset, s.Fields[2].Offset));

        // ValueTuple has Auto layout: the runtime puts the long first.
        var tuple = default(ValueTuple<byte, long>);
        AggregateLayout t = LayoutOf(typeof(ValueTuple<byte, long>));
        Assert.Equal((Unsafe.SizeOf<ValueTuple<byte, long>>(), Offset(ref tuple, ref tuple.Item1), Offset(ref tuple, ref Unsafe.As<long, byte>(ref tuple.Item2))),
            (t.Size, t.Fields[0].Offset, t.Fields[1].Offset));
        Assert.NotEqual(0, t.Fields[0].Offset);

        var triple = default(ValueTuple<byte, long, byte>);
        AggregateLayout t3 = LayoutOf(typeof(ValueTuple<byte, long, byte>));
        Assert.Equal([Offset(ref triple, ref triple.Item1), Offset(ref triple, ref Unsafe.As<long, byte>(ref triple.Item2)), Offset(ref triple, ref triple.Item3)], t3.Fields.Select(x => x.Offset));

        Assert.Equal(Unsafe.SizeOf<KeyValuePair<byte, long>>(), LayoutOf(typeof(KeyValuePair<byte, long>)).Size);
        Assert.Equal((8, 16, 2), (LayoutOf(typeof(int?)).Size, LayoutOf(typeof(double?)).Size, LayoutOf(typeof(byte?)).Size));
        Assert.Equal("hasValue", LayoutOf(typeof(int?)).Fields[0].Name);
        AggregateLayout complex = LayoutOf(typeof(Complex));
        Assert.Equal((16, 0, 8), (complex.Size, complex.Fields[0].Offset, complex.Fields[1].Offset));
        Assert.Equal(Unsafe.SizeOf<Vector3>(), LayoutOf(typeof(Vector3)).Size);
        Assert.Equal(Unsafe.SizeOf<DateTime>(), LayoutOf(typeof(DateTime)).Size);
        Assert.Equal(Unsafe.SizeOf<Body>(), LayoutOf(typeof(Body)).Size);
    }

    [Fact]
    public void Structs_compiled_code_cannot_hold_are_refused_with_the_reason()
    {
        Assert.Contains("misaligned", Cpu.Layouts.WhyNot(typeof(PackedMisaligned)));
        Assert.Contains("overlap", Cpu.Layouts.WhyNot(typeof(Union)));
        Assert.Contains("field Text is a string: compiled code reads strings .NET lends it for a call", Cpu.Layouts.WhyNot(typeof(WithText)));
        Assert.Contains("decimal", Cpu.Layouts.WhyNot(typeof(decimal)));
        foreach (Delegate refused in new Delegate[] { BoundaryCode.Text, BoundaryCode.Packed, BoundaryCode.Overlaps })
        {
            var e = Assert.Throws<CompilationException>(() => Cpu.Compile(refused.Method));
            Assert.Equal(CompilationErrorKind.UnsupportedType, e.Kind);
            Assert.Contains("struct", e.Message);
        }
    }

    [Fact]
    public void Structs_cross_by_value_through_invoke_and_typed_delegates()
    {
        var body = new Body { X = 1, Y = 2, Z = 3, Mass = 4, Fixed = true };
        Body expected = BoundaryCode.Moved(body, 0.5);
        using CompiledFunction moved = Cpu.Compile(BoundaryCode.Moved);
        Assert.Equal(expected, (Body)moved.Invoke(body, 0.5)!);
        Assert.Equal(expected, moved.AsDelegate<Func<Body, double, Body>>()(body, 0.5));
        var wrong = Assert.Throws<ArgumentException>(() => moved.Invoke(new Flagged(), 0.5));
        Assert.Contains("Body", wrong.Message);

        using CompiledFunction square = Cpu.Compile(BoundaryCode.Square);
        Assert.Equal(BoundaryCode.Square(new Complex(1.5, -2)), square.AsDelegate<Func<Complex, Complex>>()(new Complex(1.5, -2)));

        using CompiledFunction stats = Cpu.Compile(BoundaryCode.Stats);
        Assert.Equal(BoundaryCode.Stats([1, 2, 4]), stats.AsDelegate<Func<int[], (int, double)>>()([1, 2, 4]));
        Assert.Equal(BoundaryCode.Stats([1, 2, 4]), ((int, double))stats.Invoke(new[] { 1, 2, 4 })!);

        using CompiledFunction halve = Cpu.Compile(BoundaryCode.Halve);
        Func<int?, int?> h = halve.AsDelegate<Func<int?, int?>>();
        Assert.Equal((BoundaryCode.Halve(9), BoundaryCode.Halve(null)), (h(9), h(null)));
    }

    [Fact]
    public void Enums_cross_as_their_own_types()
    {
        using CompiledFunction lighter = Cpu.Compile(BoundaryCode.Lighter);
        object? boxed = lighter.Invoke(Shade.Dark);
        Assert.IsType<Shade>(boxed);
        Assert.Equal(Shade.Mid, boxed);
        Assert.Equal(Shade.Light, lighter.AsDelegate<Func<Shade, Shade>>()(Shade.Mid));
        Assert.Throws<ArgumentException>(() => lighter.Invoke((short)1)); // the underlying integer is not the enum
        Assert.Throws<ArgumentException>(() => lighter.AsDelegate<Func<short, short>>());
    }

    [Fact]
    public void Arrays_of_structs_are_shared_with_dotnet_without_copies()
    {
        Body[] bodies = [new() { X = 1, Y = 1, Mass = 1 }, new() { X = 2, Y = 0.5, Mass = 3, Fixed = true }];
        Body[] mine = [.. bodies];
        double expected = BoundaryCode.Kinetic(mine);
        using CompiledFunction kinetic = Cpu.Compile(BoundaryCode.Kinetic);
        Assert.Equal(expected, kinetic.AsDelegate<Func<Body[], double>>()(bodies));
        Assert.Equal(mine, bodies); // the compiled code's writes landed in .NET's array
    }
}

/// <summary>A jit class holding a struct and an enum: both by value in the instance.</summary>
[JitClass]
public sealed class Mover
{
    public Body Where;
    public Shade Tone;
    public int Moves;

    public Mover(double x, Shade tone)
    {
        Where.X = x;
        Tone = tone;
    }

    public void Step(double dx)
    {
        Where = BoundaryCode.Moved(Where, dx); // a struct field written whole
        Where.Mass += 0.5f;                    // and through its address
        Tone = BoundaryCode.Lighter(Tone);
        Moves++;
    }
}

public static class MoverCode
{
    public static double Run(int steps)
    {
        var m = new Mover(1.5, Shade.Dark);
        for (int i = 0; i < (steps & 15); i++)
            m.Step(0.25);
        return m.Where.X + m.Where.Z + m.Where.Mass + (int)m.Tone * 100 + m.Moves * 1000 + (m.Where.Fixed ? 7 : 0);
    }
}

/// <summary>Struct and enum fields of jit classes: in compiled code and through boxes.</summary>
public sealed class StructFieldTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Jit_classes_hold_structs_and_enums_by_value()
    {
        using CompiledFunction run = Cpu.Compile(MoverCode.Run);
        for (int steps = 0; steps < 5; steps++)
            Assert.Equal(MoverCode.Run(steps), (double)run.Invoke(steps)!);
        JitClassType layout = Cpu.Layouts.Layout(typeof(Mover));
        Assert.Equal(0, layout.Field("Where").Offset);
        Assert.Equal(System.Runtime.CompilerServices.Unsafe.SizeOf<Body>(), layout.Field("Tone").Offset);
    }

    [Fact]
    public void Boxes_get_and_set_struct_and_enum_fields_as_their_types()
    {
        using JitObject box = Cpu.New(JitClass.Define<Mover>(), 2.0, Shade.Mid);
        Assert.Equal(Shade.Mid, box.Get("Tone"));
        Assert.Equal(2.0, ((Body)box.Get("Where")!).X);
        box.Set("Where", new Body { X = 5, Y = 6, Mass = 1, Fixed = true });
        box.Set("Tone", Shade.Dark);
        box.Invoke("Step", 1.0);
        var where = (Body)box.Get("Where")!;
        Assert.Equal((6.0, 6.0, 1.5f, false), (where.X, where.Y, where.Mass, where.Fixed));
        Assert.Equal(Shade.Mid, box.Get("Tone"));
        Assert.Throws<ArgumentException>(() => box.Set("Tone", (short)1));
        Assert.Throws<ArgumentException>(() => box.Set("Where", new Flagged()));
        Assert.Contains("Tone=Mid", box.ToString());
    }
}
