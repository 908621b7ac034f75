namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

[JitClass]
public sealed class Scaled
{
    public double X;
    double scale;

    public Scaled(double x)
    {
        X = x;
        scale = 1;
    }

    public double Twice => X * 2;

    public double Scale
    {
        get => scale;
        set => scale = value;
    }

    public double Apply(double y) => (X + y) * scale;
}

/// <summary>Properties reach a box by name and through <c>dynamic</c>, as fields and methods do: their compiled accessors run.</summary>
public sealed class BoxMemberTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Properties_read_and_write_through_get_set_and_dynamic()
    {
        using JitObject box = Cpu.New(JitClass.Define<Scaled>(), 1.5);
        Assert.Equal(3.0, box.Get<double>("Twice"));
        box.Set("Scale", 2.0);
        Assert.Equal(2.0, box.Get<double>("Scale"));
        dynamic d = box;
        Assert.Equal(3.0, (double)d.Twice);
        d.Scale = 4.0;
        d.X = 2.5;
        Assert.Equal(4.0, (double)d.Scale);
        Assert.Equal(5.0, (double)d.Twice);
        Assert.Equal((2.5 + 1) * 4.0, (double)d.Apply(1.0));
        Assert.Contains("no public setter", Assert.Throws<ArgumentException>(() => box.Set("Twice", 1.0)).Message);
        Assert.Equal(["X", "scale", "Twice", "Scale", "Apply"], box.GetDynamicMemberNames());
    }
}

[JitClass]
public sealed class Mixed
{
    public long Count;
    public double Weight;
    public float Small;

    public Mixed(int count, float weight)
    {
        Count = count;
        Weight = weight;
    }

    public string Which(long value) => value >= 0 ? "long" : "negative long";

    public double Add(long value) => Count + value;

    public double Add(double value) => Weight + value;
}

/// <summary>C#'s implicit numeric conversions at the boundary: New, Invoke (functions and box methods), Set and dynamic.</summary>
public sealed class ImplicitConversionTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    public static double Half(double x) => x / 2;

    [Fact]
    public void Numbers_widen_as_in_csharp_and_narrowing_is_refused_naming_both_types()
    {
        using JitObject box = Cpu.New(JitClass.Define<Mixed>(), 3, 2); // (int, float) given (int, int)
        Assert.Equal(3L, box.Get<long>("Count"));
        Assert.Equal(2.0, box.Get<double>("Weight"));

        box.Set("Weight", 7);          // int → double
        box.Set("Count", (byte)9);     // byte → long
        dynamic d = box;
        d.Small = 'A';                 // char → float, as C# allows
        Assert.Equal(7.0, box.Get<double>("Weight"));
        Assert.Equal(9L, box.Get<long>("Count"));
        Assert.Equal(65f, box.Get<float>("Small"));

        // Overloads: an int argument prefers Add(long) to Add(double), as C# does; a float goes to Add(double).
        Assert.Equal(9.0 + 5, box.Invoke("Add", 5));
        Assert.Equal(7.0 + 0.5, box.Invoke("Add", 0.5f));

        var set = Assert.Throws<ArgumentException>(() => box.Set("Small", 1.5));
        Assert.Contains("Double, which does not convert implicitly to Single", set.Message);
        var made = Assert.Throws<ArgumentException>(() => Cpu.New(JitClass.Define<Mixed>(), 3L, 2f));
        Assert.Contains("argument 'count' must be Int32; got Int64, which does not convert implicitly to Int32", made.Message);

        CompiledFunction half = Cpu.Compile(Half);
        Assert.Equal(3.5, half.Invoke(7));        // int → double
        Assert.Equal(2.0, half.Invoke(4L));       // long → double
        Assert.Throws<ArgumentException>(() => half.Invoke(4m)); // decimal: no conversion to double in C#
    }
}
