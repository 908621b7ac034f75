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
