#pragma warning disable CA1051 // jit classes are made of public fields

namespace Targets.Cpu.Tests;

[JitClass]
public sealed class Reading
{
    public int Count;
    public double Value;
    public object? Extra;

    public Reading(int count, double value)
    {
        Count = count;
        Value = value;
    }

    public double Mean() => Value / Count;
}

public static class ReadingCode
{
    public static double Total(Reading r) => r.Count + r.Value;

    public static double Both(Reading a, Reading b) => Total(a) + Total(b);

    public static Reading Doubled(Reading r) => new(r.Count * 2, r.Value * 2);
}

/// <summary>
/// Every Define of a class is its own compiled layout (NBEP 3): boxes of two specs live side by
/// side, and a function given boxes of each runs code compiled for each (as Numba dispatches on the
/// instance type); a typed delegate runs the one layout it was made for.
/// </summary>
public sealed class SpecialisationTests : NrtLeakCheck
{
    static readonly JitSpec Reordered = new() { { "Value", JitType.Float64 }, { "Extra", JitType.Int64 }, { "Count", JitType.Int32 } };
    static readonly JitSpec Typed = new() { { "Count", JitType.Int32 }, { "Value", JitType.Float64 }, { "Extra", JitType.Float32 } };

    [Fact]
    public void Two_specs_of_one_class_live_side_by_side()
    {
        var cpu = new CpuTarget();
        JitClassType reordered = JitClass.Define<Reading>(Reordered), typed = JitClass.Define<Reading>(Typed);
        Assert.Equal(0, reordered.Field("Value").Offset);
        Assert.Equal(16, reordered.Field("Count").Offset);
        using JitObject a = cpu.New(reordered, 4, 10.0);
        using JitObject b = cpu.New(typed, 5, 20.0);
        Assert.Equal((4, 10.0), (a.Get<int>("Count"), a.Get<double>("Value")));
        Assert.Equal((5, 20.0), (b.Get<int>("Count"), b.Get<double>("Value")));
        Assert.Equal(2.5, a.Invoke("Mean"));
        Assert.Equal(4.0, b.Invoke("Mean"));
        a.Set("Extra", 7L);
        b.Set("Extra", 1.5f);
        Assert.Equal((7L, 1.5f), (a.Get<long>("Extra"), b.Get<float>("Extra")));
    }

    [Fact]
    public void A_function_given_boxes_of_two_specs_runs_code_compiled_for_each()
    {
        var cpu = new CpuTarget();
        using JitObject a = cpu.New(JitClass.Define<Reading>(Reordered), 4, 10.0);
        using JitObject b = cpu.New(JitClass.Define<Reading>(Typed), 5, 20.0);
        CompiledFunction total = cpu.Compile(ReadingCode.Total);
        Assert.Equal(14.0, total.Invoke(a));
        Assert.Equal(25.0, total.Invoke(b));
        Assert.Equal(14.0, total.Invoke(a)); // the specialisation is cached, not recompiled per call
        using var doubled = (JitObject)cpu.Compile(ReadingCode.Doubled).Invoke(a)!;
        Assert.True(LayoutContext.SameLayout(a.Type, doubled.Type)); // made by the code for a's layout
        Assert.Equal((8, 20.0), (doubled.Get<int>("Count"), doubled.Get<double>("Value")));
    }

    [Fact]
    public void Two_defines_with_one_spec_share_their_specialisation()
    {
        var cpu = new CpuTarget();
        using JitObject a = cpu.New(JitClass.Define<Reading>(Reordered), 4, 10.0);
        using JitObject b = cpu.New(JitClass.Define<Reading>(Reordered), 5, 20.0);
        Assert.NotSame(a.Type, b.Type);
        Assert.Same(a.Layouts, b.Layouts);
        Assert.Equal(39.0, cpu.Compile(ReadingCode.Both).Invoke(a, b)); // one layout, so one call may take both
    }

    [Fact]
    public void One_call_takes_one_layout_per_class()
    {
        var cpu = new CpuTarget();
        using JitObject a = cpu.New(JitClass.Define<Reading>(Reordered), 4, 10.0);
        using JitObject b = cpu.New(JitClass.Define<Reading>(Typed), 5, 20.0);
        var e = Assert.Throws<ArgumentException>(() => cpu.Compile(ReadingCode.Both).Invoke(a, b));
        Assert.Contains("one layout per class", e.Message, StringComparison.Ordinal);
        Assert.Equal(28.0, cpu.Compile(ReadingCode.Both).Invoke(a, a));
    }

    [Fact]
    public void A_typed_delegate_refuses_a_box_of_another_layout()
    {
        var layouts = new LayoutContext();
        layouts.Use(JitClass.Define<Reading>(Typed));
        var cpu = new CpuTarget(layouts);
        using JitObject a = cpu.New(JitClass.Define<Reading>(Reordered), 4, 10.0);
        using JitObject plain = cpu.New(JitClass.Define<Reading>(Typed), 1, 2.0);
        var total = cpu.Compile(ReadingCode.Total).AsDelegate<Func<JitObject, double>>();
        Assert.Equal(3.0, total(plain)); // the layout of the target's context
        var e = Assert.Throws<ArgumentException>(() => total(a));
        Assert.Contains("Invoke compiles and runs the code for the box's layout", e.Message, StringComparison.Ordinal);
    }
}
