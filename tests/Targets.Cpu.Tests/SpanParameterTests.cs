namespace Targets.Cpu.Tests;

/// <summary>Methods .NET calls with spans.</summary>
public static class SpanParameterCode
{
    public static double Sum(ReadOnlySpan<double> s)
    {
        double t = 0;
        foreach (double v in s)
            t += v;
        return t;
    }

    public static void Scale(Span<int> s, int k)
    {
        for (int i = 0; i < s.Length; i++)
            s[i] *= k;
    }

    public static int At(ReadOnlySpan<int> s, int i) => s[i];

    public static ReadOnlySpan<int> Whole(int[] a) => a;

    public static int ByRef(ref Span<int> s) => s.Length;
}

/// <summary>
/// A span .NET passes through a typed delegate is read and written in place (its memory pinned for the call: an array's
/// part, stack memory, an empty span), with .NET's bounds checks and nothing allocated; the boxed call, a span returned to
/// .NET and a span by reference are refused with the reason, and on cuda a span parameter of a kernel.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class SpanParameterTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void A_span_argument_is_read_in_place_whatever_memory_it_views()
    {
        var sum = Cpu.Compile(SpanParameterCode.Sum).AsDelegate<Func<ReadOnlySpan<double>, double>>();
        double[] values = [1, 2, 3, 4, 5];
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(SpanParameterCode.Sum(values), sum(values));
        Assert.Equal(SpanParameterCode.Sum(values.AsSpan(1, 3)), sum(values.AsSpan(1, 3)));
        Assert.Equal(0, sum(default));
        Assert.Equal(0.75, sum(stackalloc double[] { 0.5, 0.25 }));
        Assert.Equal(0, Nrt.GetAllocationStats().Since(before).Alloc);
    }

    [Fact]
    public void Writes_through_a_span_argument_land_in_dotnets_memory()
    {
        var scale = Cpu.Compile(SpanParameterCode.Scale).AsDelegate<Action<Span<int>, int>>();
        int[] a = [1, 2, 3, 4];
        scale(a.AsSpan(1, 2), 10);
        Assert.Equal([1, 20, 30, 4], a);
    }

    [Fact]
    public void An_index_past_a_span_arguments_end_raises_as_in_dotnet()
    {
        var at = Cpu.Compile(SpanParameterCode.At).AsDelegate<Func<ReadOnlySpan<int>, int, int>>();
        int[] a = [5, 6, 7, 8];
        Assert.Equal(7, at(a.AsSpan(1, 2), 1));
        Assert.Throws<IndexOutOfRangeException>(() => at(a.AsSpan(1, 2), 2));
    }

    [Fact]
    public void The_boxed_call_of_a_method_that_takes_a_span_says_to_use_a_typed_delegate()
    {
        var e = Assert.Throws<ArgumentException>(() => Cpu.Compile(SpanParameterCode.Sum).Invoke(new double[] { 1 }));
        Assert.Contains("cannot be boxed", e.Message, StringComparison.Ordinal);
        Assert.Contains("AsDelegate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_span_returned_to_dotnet_or_taken_by_reference_is_refused_with_the_reason()
    {
        var returned = Assert.Throws<CompilationException>(() => Cpu.Compile(SpanParameterCode.Whole));
        Assert.Contains("the return value of type ReadOnlySpan<Int32>", returned.Message, StringComparison.Ordinal);
        Assert.Contains("return an array", returned.Message, StringComparison.Ordinal);
        var byRef = Assert.Throws<CompilationException>(() => Cpu.Compile(typeof(SpanParameterCode).GetMethod(nameof(SpanParameterCode.ByRef))!));
        Assert.Contains("take it without ref", byRef.Message, StringComparison.Ordinal);
    }
}
