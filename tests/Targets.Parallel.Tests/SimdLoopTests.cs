namespace Targets.Parallel.Tests;

/// <summary>
/// SIMD vectors in Prange loops on every core: loads and stores of whole windows agree with .NET, a vector load is a
/// read (not a write through an address handed on), and a vector store covers its lanes' elements, so a store whose
/// windows overlap between iterations is refused as a race; an array of vectors is written element by element.
/// </summary>
public sealed class SimdLoopTests
{
    static readonly ParallelTarget Parallel = new();

    static float[] Ramp(int n) => [.. Enumerable.Range(0, n).Select(i => i * 0.25f - 100)];

    [Fact]
    public void Vector_loads_in_a_prange_loop_agree_with_dotnet()
    {
        int lanes = System.Numerics.Vector<float>.Count;
        float[] a = Ramp(lanes * 4 * 37);
        float[] expected = new float[37], sums = new float[37];
        SimdLoops.ChunkSums(a, expected);
        Parallel.Compile(SimdLoops.ChunkSums).AsDelegate<Action<float[], float[]>>()(a, sums);
        Assert.Equal(expected, sums);
    }

    [Fact]
    public void Vector_stores_into_windows_of_their_own_agree_with_dotnet()
    {
        float[] expected = Ramp(1001), actual = Ramp(1001);
        SimdLoops.ScaleWindows(expected, 1.5f);
        Parallel.Compile(SimdLoops.ScaleWindows).AsDelegate<Action<float[], float>>()(actual, 1.5f);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Vectors_made_before_the_loop_are_captured_as_they_are()
    {
        float[] expected = Ramp(333), actual = Ramp(333);
        SimdCaptures.ScaleAndShift(expected, -0.5f, 7);
        Parallel.Compile(SimdCaptures.ScaleAndShift).AsDelegate<Action<float[], float, int>>()(actual, -0.5f, 7);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void An_array_of_vectors_is_written_element_by_element_on_every_core()
    {
        System.Runtime.Intrinsics.Vector256<float>[] Vectors() => [.. Ramp(999).Select(System.Runtime.Intrinsics.Vector256.Create)];
        var shift = System.Runtime.Intrinsics.Vector256.Create(1f, 2, 3, 4, 5, 6, 7, 8);
        System.Runtime.Intrinsics.Vector256<float>[] expected = Vectors(), actual = Vectors();
        SimdCaptures.DoubleEach(expected, shift);
        Parallel.Compile(SimdCaptures.DoubleEach).AsDelegate<Action<System.Runtime.Intrinsics.Vector256<float>[], System.Runtime.Intrinsics.Vector256<float>>>()(actual, shift);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Vector_stores_whose_windows_overlap_are_a_race()
    {
        var e = Assert.Throws<CompilationException>(() => Parallel.Compile(SimdLoops.OverlappingWindows));
        Assert.Equal(CompilationErrorKind.Race, e.Kind);
        Assert.Contains("'a'", e.Message, StringComparison.Ordinal);
        Assert.NotNull(new Cpu.CpuTarget().Compile(SimdLoops.OverlappingWindows)); // in order, the same loop is fine
    }
}
