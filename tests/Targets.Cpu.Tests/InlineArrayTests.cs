#pragma warning disable CA1051 // a jit class of the field it holds, as users write it
using System.Runtime.CompilerServices;

namespace Targets.Cpu.Tests;

/// <summary>A fixed-size buffer as C# 12 writes one.</summary>
[InlineArray(4)]
public struct Quad
{
    float first;
}

/// <summary>A jit class holding an inline array.</summary>
[JitClass]
public sealed class Bins
{
    public Quad Counts;

    public void Add(int k) => Counts[k & 3] += 1;

    public float Third() => Counts[2];

    public float Sum()
    {
        float t = 0;
        Span<float> all = Counts;
        foreach (float v in all)
            t += v;
        return t;
    }
}

/// <summary>Inline arrays crossing to and from .NET, and what compiled code refuses of them.</summary>
public static class InlineArrayCode
{
    public static float Total(Quad q)
    {
        float t = 0;
        foreach (float v in q)
            t += v;
        return t;
    }

    public static Quad Scaled(Quad q, float k)
    {
        for (int i = 0; i < 4; i++)
            q[i] *= k;
        return q;
    }

    public static void Bump(ref Quad q, int i) => q[i & 3] += 1;

    public static Span<float> SpanOfRef(ref Quad q) => q;

    public static float ThroughSpanOfRef(int k)
    {
        Quad q = default;
        q[2] = k;
        return SpanOfRef(ref q)[2];
    }

    public static float Counted(int n)
    {
        var bins = new Bins();
        for (int i = 0; i < n; i++)
            bins.Add(i);
        return bins.Third();
    }

    public static float SpanOfField(int n)
    {
        var bins = new Bins();
        for (int i = 0; i < n; i++)
            bins.Add(i);
        return bins.Sum();
    }

    [InlineArray(2000)]
    public struct Huge
    {
        byte first;
    }

    public static int TooLarge(Huge h) => h[0];

    public static unsafe int Fixed(FixedBuffer b) => b.Values[1];
}

/// <summary>
/// An <c>[InlineArray]</c> struct crosses between .NET and compiled code in .NET's layout (by value, as a result, by
/// reference), lives in a jit class's field, and its elements are checked as a span's; a span over one reached through a
/// reference, and one too large, are refused with the reason. The corpus's InlineArrays section checks the rest against .NET.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class InlineArrayTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    delegate void ByRef(ref Quad q, int i);

    static Quad Of(params float[] values)
    {
        Quad q = default;
        for (int i = 0; i < values.Length; i++)
            q[i] = values[i];
        return q;
    }

    [Fact]
    public void An_inline_array_crosses_from_and_to_dotnet_in_its_layout()
    {
        Quad q = Of(1.5f, -2, 3, 1e30f);
        Assert.Equal(InlineArrayCode.Total(q), Cpu.Compile(InlineArrayCode.Total).AsDelegate<Func<Quad, float>>()(q));
        Assert.Equal(InlineArrayCode.Total(q), (float)Cpu.Compile(InlineArrayCode.Total).Invoke(q)!);
        Quad scaled = Cpu.Compile(InlineArrayCode.Scaled).AsDelegate<Func<Quad, float, Quad>>()(q, 2);
        Assert.Equal([3f, -4, 6, 2e30f], ((ReadOnlySpan<float>)scaled).ToArray());
        var bump = Cpu.Compile(InlineArrayCode.Bump).AsDelegate<ByRef>();
        bump(ref q, 6);
        Assert.Equal(4f, q[2]);
    }

    [Fact]
    public void A_jit_class_holds_an_inline_array()
    {
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(InlineArrayCode.Counted(11), Cpu.Compile(InlineArrayCode.Counted).AsDelegate<Func<int, float>>()(11));
        Assert.Equal(InlineArrayCode.SpanOfField(7), Cpu.Compile(InlineArrayCode.SpanOfField).AsDelegate<Func<int, float>>()(7));
        NrtStats after = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(after.Alloc, after.Free);
    }

    [Theory]
    [InlineData(nameof(InlineArrayCode.ThroughSpanOfRef), "a span over inline array Quad reached through a reference (a ref parameter, an array element or a jit class field) in a method that gives spans back")]
    [InlineData(nameof(InlineArrayCode.TooLarge), "inline array Huge has 2000 elements: compiled code holds inline arrays of up to 1024")]
    [InlineData(nameof(InlineArrayCode.Fixed), "is a fixed-size buffer (unsafe code, reached through pointers, which compiled code has not): declare it as an [InlineArray(n)] struct instead")]
    public void What_compiled_code_does_not_offer_is_refused_with_the_reason(string name, string expected)
    {
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(typeof(InlineArrayCode).GetMethod(name)!));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}

/// <summary>A struct with a fixed-size buffer, as unsafe C# writes one.</summary>
public unsafe struct FixedBuffer
{
    public fixed int Values[4];
}
