namespace Targets.Cuda.Tests;

/// <summary>Kernels on the simulator against .NET: index kernels, barrier kernels, atomics, and what it reports.</summary>
public sealed class SimulatorTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() * 4 - 2)];
    }

    [Fact]
    public void Saxpy_matches_dotnet()
    {
        float[] x = Random(1000, 1), y = Random(1000, 2), expected = [.. y];
        for (int i = 0; i < x.Length; i++)
            CudaKernels.Saxpy(new Index1D(i), 2.5f, x, expected);
        Simulator.Launch(CudaKernels.Saxpy, x.Length, 2.5f, x, y);
        Assert.Equal(expected, y);
    }

    [Fact]
    public void Two_dimensional_index_kernels_match_dotnet()
    {
        const int w = 37, h = 23;
        double[,] grid = new double[w, h], expected = new double[w, h];
        for (int x = 0; x < w; x++)
            for (int y = 0; y < h; y++)
                grid[x, y] = expected[x, y] = x - y * 0.5;
        for (int x = 0; x < w; x++)
            for (int y = 0; y < h; y++)
                CudaKernels.Scale2D(new Index2D(x, y), 1.5, expected);
        Simulator.Launch(CudaKernels.Scale2D, (w, h), 1.5, grid);
        Assert.Equal(expected, grid);

        int[] iterations = new int[w * h], mandel = new int[w * h];
        for (int x = 0; x < w; x++)
            for (int y = 0; y < h; y++)
                CudaKernels.Mandelbrot(new Index2D(x, y), w, h, mandel);
        Simulator.Launch(CudaKernels.Mandelbrot, (w, h), w, h, iterations);
        Assert.Equal(mandel, iterations);
    }

    [Fact]
    public void Transcendental_math_matches_dotnet_bit_for_bit()
    {
        double[] x = [.. Enumerable.Range(0, 200).Select(i => i * 0.37)], expected = [.. x];
        for (int i = 0; i < x.Length; i++)
            CudaKernels.Waves(new Index1D(i), expected);
        Simulator.Launch(CudaKernels.Waves, x.Length, x);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void Shared_memory_reduction_with_barriers_and_atomics_matches_dotnet()
    {
        float[] input = Random(1000, 3);
        float[] total = [0f];
        int blocks = (input.Length + CudaKernels.Block - 1) / CudaKernels.Block;
        Simulator.LaunchGrid(CudaKernels.BlockSum, blocks, CudaKernels.Block, input, total);
        Assert.Equal(input.Select(v => (double)v).Sum(), total[0], 2);
    }

    [Fact]
    public void Tiled_matmul_matches_dotnet()
    {
        const int n = 24;
        float[] a = Random(n * n, 4), b = Random(n * n, 5), c = new float[n * n];
        Simulator.LaunchGrid(CudaKernels.TiledMatMul, (n / CudaKernels.Tile, n / CudaKernels.Tile), (CudaKernels.Tile, CudaKernels.Tile), a, b, c, n);
        Assert.Equal(DotnetReferences.MatMul(a, b, n), c);
    }

    [Fact]
    public void Stencil_with_halo_matches_dotnet()
    {
        float[] input = Random(300, 6), output = new float[300];
        Simulator.LaunchGrid(CudaKernels.Stencil, (input.Length + CudaKernels.Block - 1) / CudaKernels.Block, CudaKernels.Block, input, output);
        Assert.Equal(DotnetReferences.Stencil(input), output);
    }

    [Fact]
    public void Grid_coordinates_are_cudas()
    {
        int[] into = new int[3 * 2 * 4 * 5];
        Simulator.LaunchGrid(CudaKernels.GridCoordinates, (3, 2), (4, 5), into);
        for (int b = 0; b < 6; b++)
            for (int t = 0; t < 20; t++)
                Assert.Equal(b * 1000 + t, into[b * 20 + t]);
    }

    [Fact]
    public void Warp_shuffles_reduce_and_broadcast_as_cuda_does()
    {
        float[] input = Random(256, 8), sums = new float[8];
        Simulator.LaunchGrid(CudaKernels.WarpSum, 4, 64, input, sums);
        Assert.Equal(DotnetReferences.WarpSums(input), sums);

        int[] values = [.. Enumerable.Range(0, 96)], broadcast = new int[96];
        Simulator.LaunchGrid(CudaKernels.WarpAllReduce, 1, 96, values, broadcast);
        for (int i = 0; i < 96; i++)
        {
            int warp = i / 32;
            Assert.Equal(Enumerable.Range(32 * warp, 32).Sum(), values[i]);
            Assert.Equal(32 * warp + 5, broadcast[i]);
        }
    }

    [Fact]
    public void A_shuffle_some_lanes_skip_is_reported_not_hung()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Simulator.LaunchGrid(CudaKernels.DivergentShuffle, 1, 64, new int[40]));
        Assert.Contains("warp shuffle", e.Message);
    }

    [Fact]
    public void Bool_and_char_arrays_keep_their_element_sizes()
    {
        bool[] flags = [.. Enumerable.Range(0, 99).Select(i => i % 3 == 0)], expectedFlags = [.. flags];
        char[] letters = [.. Enumerable.Range(0, 99).Select(i => (char)('a' + i % 26))], expectedLetters = [.. letters];
        short[] into = new short[99], expected = new short[99];
        for (int i = 0; i < 99; i++)
            CudaKernels.FlagsAndLetters(new Index1D(i), expectedFlags, expectedLetters, expected);
        Simulator.Launch(CudaKernels.FlagsAndLetters, 99, flags, letters, into);
        Assert.Equal(expected, into);
        Assert.Equal(expectedFlags, flags);
        Assert.Equal(expectedLetters, letters);
    }

    [Fact]
    public void Atomics_from_many_threads_count_every_update()
    {
        int[] values = [.. Enumerable.Range(0, 5000).Select(i => i * 7 % 13)];
        int[] bins = new int[13], expected = new int[13];
        foreach (int v in values)
            expected[v % 13]++;
        Simulator.Launch(CudaKernels.Histogram, values.Length, values, bins);
        Assert.Equal(expected, bins);
    }

    [Fact]
    public void A_barrier_some_threads_skip_is_reported_not_hung()
    {
        float[] data = Random(100, 7); // the second block has 36 threads with data and 28 that return early
        var e = Assert.Throws<InvalidOperationException>(() => Simulator.LaunchGrid(CudaKernels.DivergentBarrier, 2, CudaKernels.Block, data));
        Assert.Contains("Cuda.SyncThreads() was not reached by every thread", e.Message);
        Assert.Contains("block (1, 0, 0)", e.Message);
    }

    [Fact]
    public void An_index_out_of_bounds_names_the_block_and_thread()
    {
        int[] data = new int[100];
        var e = Assert.Throws<IndexOutOfRangeException>(() => Simulator.Launch(CudaKernels.OffByOne, data.Length, data));
        Assert.Equal(new Dim3(1, 0, 0), e.Data["Cuda.Block"]);
        Assert.Equal(new Dim3(35, 0, 0), e.Data["Cuda.Thread"]); // item 99 = block 1 (of 64 threads), thread 35
        Assert.Contains("block (1, 0, 0), thread (35, 0, 0)", e.Message);
        Assert.IsType<IndexOutOfRangeException>(e.InnerException);
    }

    [Fact]
    public void Division_by_zero_in_a_kernel_is_dotnets_exception()
    {
        int[] numerators = [.. Enumerable.Range(1, 10)];
        var e = Assert.Throws<DivideByZeroException>(() => Simulator.Launch(CudaKernels.Divide, numerators.Length, numerators, 4));
        Assert.Equal(new Dim3(4, 0, 0), e.Data["Cuda.Thread"]);
        Assert.Equal(new DivideByZeroException().Message, e.InnerException!.Message);
    }

    [Fact]
    public void Arguments_are_checked_before_anything_runs()
    {
        float[] x = new float[4];
        Assert.Contains("must be Single[]", Assert.Throws<ArgumentException>(() => Simulator.Launch(CudaKernels.Saxpy, 4, 2f, new double[4], x)).Message);
        Assert.Contains("takes 3 argument(s)", Assert.Throws<ArgumentException>(() => Simulator.Launch(CudaKernels.Saxpy, 4, 2f, x)).Message);
        Assert.Throws<ArgumentNullException>(() => Simulator.Launch(CudaKernels.Saxpy, 4, 2f, null, x));
        Assert.Contains("Index1D", Assert.Throws<ArgumentException>(() => Simulator.Launch(CudaKernels.Saxpy, (2, 2), 2f, x, x)).Message);
        Assert.Contains("LaunchGrid", Assert.Throws<ArgumentException>(() => Simulator.Launch(CudaKernels.BlockSum, 4, x, x)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Simulator.LaunchGrid(CudaKernels.BlockSum, 1, 2048, x, x));
        Assert.Throws<ArgumentOutOfRangeException>(() => Simulator.LaunchGrid(CudaKernels.GridCoordinates, (1, 70_000), 1, new int[70_000])); // CUDA's grid limit
    }
}
