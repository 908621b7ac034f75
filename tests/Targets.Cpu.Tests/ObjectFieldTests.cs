namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

/// <summary>A jit class whose fields declared object get their types from a spec (<see cref="ObjectFieldTests.Spec"/>).</summary>
[JitClass]
public sealed class Boxy
{
    public object Value;
    public object? Link;
    public int Count;

    public Boxy(double value)
    {
        Value = value;
        Link = null;
    }

    public double Get() => (double)Value;

    public void Add(double x)
    {
        Value = (double)Value + x;
        Count++;
    }
}

/// <summary>A jit class with an object field that no spec ever types.</summary>
[JitClass]
public sealed class Untyped
{
    public object? Anything;
}

/// <summary>Code for <see cref="ObjectFieldTests"/>: the same C# runs on .NET (boxing) and compiled.</summary>
public static class ObjectFieldCode
{
    public static double Use(int n)
    {
        var b = new Boxy(1.5);
        for (int i = 0; i < n; i++)
            b.Add(i);
        var c = new Boxy(2);
        c.Link = b;
        return ((Boxy)c.Link).Get() + c.Get() + b.Count + (c.Link is null ? 100 : 0);
    }

    public static void StoreAnInt(Boxy b) => b.Value = 3;

    public static bool Touch(Untyped u) => u.Anything is null;
}

/// <summary>
/// Fields declared <c>object</c>: the class's first <c>JitClass.Define</c> with a spec types them, and
/// compiled code treats them as fields of that type (boxing into and unboxing from them are free).
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class ObjectFieldTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    internal static readonly JitClassType Spec = JitClass.Define<Boxy>(new JitSpec
    {
        { "Value", JitType.Float64 },
        { "Link", JitType.Instance(typeof(Boxy)) },
        { "Count", JitType.Int32 },
    });

    [Fact]
    public void Object_fields_take_their_types_from_the_first_spec_and_agree_with_dotnet()
    {
        Assert.Equal(8, Spec.Fields.Single(f => f.Name == "Link").Offset);
        Assert.Equal(ObjectFieldCode.Use(10), Cpu.Compile(ObjectFieldCode.Use).Invoke(10));
        using JitObject box = Cpu.New(Spec, 4.25);
        Assert.Equal(4.25, box.Get<double>("Value"));
        Assert.Equal(4.25, box.Invoke("Get"));
    }

    [Fact]
    public void Storing_another_type_into_an_object_field_is_a_compilation_error()
    {
        _ = Spec;
        var error = Assert.Throws<CompilationException>(() => Cpu.Compile(ObjectFieldCode.StoreAnInt));
        Assert.Contains("storing a Int32 into Boxy.Value", error.Message);
        Assert.Contains("Double", error.Message);
    }

    [Fact]
    public void An_object_field_no_spec_typed_is_a_compilation_error_that_says_to_define_one()
    {
        var error = Assert.Throws<CompilationException>(() => Cpu.Compile(ObjectFieldCode.Touch));
        Assert.Contains("declared object", error.Message);
        Assert.Contains("JitClass.Define<Untyped>(spec)", error.Message);
    }
}
