using Targets.Runtime;
#pragma warning disable CA1051 // jit classes are made of public fields

namespace Targets.Cpu.Tests;

[JitClass]
public sealed class Tagged
{
    public object? Payload;
    public int Tag;

    public Tagged(int tag) => Tag = tag; // Payload stays zero: its type is the layout's business
}

public static class TaggedCode
{
    public static int TagOf(int tag) => new Tagged(tag).Tag * 2;
}

/// <summary>One type-and-layout context per target: the same class, laid out two ways, compiled and run in one process.</summary>
public sealed class LayoutContextTests : NrtLeakCheck
{
    static LayoutContext With(JitType payload)
    {
        var context = new LayoutContext();
        context.Use(JitClass.Define<Tagged>(new JitSpec { { "Payload", payload }, { "Tag", JitType.Int32 } }));
        return context;
    }

    [Fact]
    public void The_same_class_compiles_for_two_layouts_in_one_process()
    {
        LayoutContext wide = With(JitType.Float64), narrow = With(JitType.Int32);
        Assert.Equal(8, wide.Layout(typeof(Tagged)).Field("Tag").Offset);
        Assert.Equal(4, narrow.Layout(typeof(Tagged)).Field("Tag").Offset);
        using var onWide = new CpuTarget(wide);
        using var onNarrow = new CpuTarget(narrow);
        CompiledFunction a = onWide.Compile(TaggedCode.TagOf), b = onNarrow.Compile(TaggedCode.TagOf);
        Assert.NotSame(a, b);
        Assert.Equal(14, a.Invoke(7));
        Assert.Equal(14, b.Invoke(7));
        // Each stored Tag at its own layout's offset (after the instance header).
        Assert.Contains($"i64 {NrtRuntimeIr.HeaderSize + 8}", a.Inspect(Stage.Llvm));
        Assert.Contains($"i64 {NrtRuntimeIr.HeaderSize + 4}", b.Inspect(Stage.Llvm));
    }

    [Fact]
    public void Boxes_are_made_with_their_targets_layout()
    {
        using var target = new CpuTarget(With(JitType.Float64));
        using JitObject box = target.New(target.Layouts.Layout(typeof(Tagged)), 5);
        Assert.Equal(5, box.Get<int>("Tag"));
        Assert.Equal(0.0, box.Get<double>("Payload"));
    }

    [Fact]
    public void A_context_keeps_one_layout_per_class()
    {
        LayoutContext context = With(JitType.Float64);
        var other = JitClass.Define<Tagged>(new JitSpec { { "Payload", JitType.Int32 }, { "Tag", JitType.Int32 } });
        Assert.Throws<ArgumentException>(() => context.Use(other));
    }

    [Fact]
    public void A_cpu_target_refuses_a_by_value_context() =>
        Assert.Throws<ArgumentException>(() => new CpuTarget(new LayoutContext(InstanceRepresentation.ByValue)));
}
