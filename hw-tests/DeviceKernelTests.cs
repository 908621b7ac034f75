using ILGPU;
using ILGPU.Runtime;
using Targets.Cuda;
using Targets.Cuda.Device;
using Targets.Cuda.Tests;

namespace Targets.HwTests;

/// <summary>
/// The simulator's kernels on a real device, against .NET (<see cref="DotnetReferences"/> where a kernel
/// needs a grid; no LLVM: the device run loads PTX compiled ahead, <see cref="PrecompiledKernels"/>);
/// device memory, ILGPU interop, and the failures a device reports.
/// </summary>
public sealed class DeviceKernelTests
{
    static readonly Lazy<CudaTarget> Device = new(() => new CudaTarget());

    static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() * 4 - 2)];
    }

    [DeviceFact]
    public void Saxpy_over_a_million_items_matches_dotnet()
    {
        float[] x = Random(1 << 20, 1), y = Random(1 << 20, 2), expected = [.. y];
        for (int i = 0; i < x.Length; i++)
            CudaKernels.Saxpy(new Targets.Index1D(i), 2.5f, x, expected);
        Device.Value.Launch(CudaKernels.Saxpy, x.Length, 2.5f, x, y);
        Assert.Equal(expected, y);
    }

    [DeviceFact]
    public void Two_dimensional_kernels_match_dotnet()
    {
        const int w = 300, h = 200;
        int[] expected = new int[w * h], actual = new int[w * h];
        for (int x = 0; x < w; x++)
            for (int y = 0; y < h; y++)
                CudaKernels.Mandelbrot(new Targets.Index2D(x, y), w, h, expected);
        Device.Value.Launch(CudaKernels.Mandelbrot, (w, h), w, h, actual);
        Assert.Equal(expected, actual);
    }

    [DeviceFact]
    public void Libdevice_math_is_within_a_few_ulps_of_dotnet()
    {
        double[] x = [.. Enumerable.Range(0, 1000).Select(i => i * 0.37)], expected = [.. x];
        for (int i = 0; i < x.Length; i++)
            CudaKernels.Waves(new Targets.Index1D(i), expected);
        Device.Value.Launch(CudaKernels.Waves, x.Length, x);
        for (int i = 0; i < x.Length; i++)
            Assert.Equal(expected[i], x[i], Math.Abs(expected[i]) * 1e-14);
    }

    [DeviceFact]
    public void Barrier_kernels_match_dotnet()
    {
        float[] input = Random(100_000, 3), total = [0f];
        int blocks = (input.Length + CudaKernels.Block - 1) / CudaKernels.Block;
        Device.Value.LaunchGrid(CudaKernels.BlockSum, blocks, CudaKernels.Block, input, total);
        Assert.Equal(input.Select(v => (double)v).Sum(), total[0], 0.1); // atomic adds in any order: float rounding, ~1,600 of them

        const int n = 256;
        float[] a = Random(n * n, 4), b = Random(n * n, 5), c = new float[n * n];
        Device.Value.LaunchGrid(CudaKernels.TiledMatMul, (n / CudaKernels.Tile, n / CudaKernels.Tile), (CudaKernels.Tile, CudaKernels.Tile), a, b, c, n);
        Assert.Equal(DotnetReferences.MatMul(a, b, n), c);

        float[] output = new float[input.Length];
        Device.Value.LaunchGrid(CudaKernels.Stencil, blocks, CudaKernels.Block, input, output);
        Assert.Equal(DotnetReferences.Stencil(input), output);
    }

    [DeviceFact]
    public void Bool_and_char_arrays_are_copied_with_their_element_sizes()
    {
        bool[] flags = [.. Enumerable.Range(0, 999).Select(i => i % 3 == 0)], expectedFlags = [.. flags];
        char[] letters = [.. Enumerable.Range(0, 999).Select(i => (char)('a' + i % 26))], expectedLetters = [.. letters];
        short[] into = new short[999], expected = new short[999];
        for (int i = 0; i < 999; i++)
            CudaKernels.FlagsAndLetters(new Targets.Index1D(i), expectedFlags, expectedLetters, expected);
        Device.Value.Launch(CudaKernels.FlagsAndLetters, 999, flags, letters, into);
        Assert.Equal(expected, into);
        Assert.Equal(expectedFlags, flags);
        Assert.Equal(expectedLetters, letters);
    }

    [DeviceFact]
    public void Warp_shuffles_match_dotnet()
    {
        float[] input = Random(4096, 10), sums = new float[128];
        Device.Value.LaunchGrid(CudaKernels.WarpSum, 32, 128, input, sums);
        Assert.Equal(DotnetReferences.WarpSums(input), sums);
        int[] values = [.. Enumerable.Range(0, 256)], broadcast = new int[256];
        Device.Value.LaunchGrid(CudaKernels.WarpAllReduce, 2, 128, values, broadcast);
        for (int i = 0; i < 256; i++)
        {
            Assert.Equal(Enumerable.Range(32 * (i / 32), 32).Sum(), values[i]);
            Assert.Equal(32 * (i / 32) + 5, broadcast[i]);
        }
    }

    [DeviceFact]
    public void Atomics_count_every_update()
    {
        int[] values = [.. Enumerable.Range(0, 1_000_000).Select(i => i * 7 % 13)];
        int[] bins = new int[13], expected = new int[13];
        foreach (int v in values)
            expected[v % 13]++;
        Device.Value.Launch(CudaKernels.Histogram, values.Length, values, bins);
        Assert.Equal(expected, bins);
    }

    [DeviceFact]
    public void Immutable_instances_are_passed_by_value()
    {
        var body = new Body(1f, 2f, 3f);
        float[] xs = Random(1000, 6), ys = Random(1000, 7), pull = new float[1000], expected = new float[1000];
        for (int i = 0; i < xs.Length; i++)
            BodyKernels.Pull(new Targets.Index1D(i), body, xs, ys, expected);
        Device.Value.Launch(BodyKernels.Pull, xs.Length, body, xs, ys, pull);
        for (int i = 0; i < xs.Length; i++)
            Assert.Equal(expected[i], pull[i], Math.Abs(expected[i]) * 1e-6); // sqrtf on the device is IEEE, MathF.Sqrt too: allow for contraction only
    }

    [DeviceFact]
    public void Structs_are_passed_by_value_and_struct_arrays_are_copied_both_ways()
    {
        StructKernelChecks.SimpleStructures(Device.Value); // ints, longs and bools: exact
        // Particles: a Particle[] copied in and out, a Bounds struct and an enum by value (.param).
        Particle[] particles = [.. Enumerable.Range(0, 4096).Select(k => new Particle { X = k % 10 * 0.1f, Y = 0.5f, Z = k % 7 * 0.15f, VX = (k % 5 - 2) * 0.3f, VY = 1f, VZ = -0.7f })];
        Particle[] expected = [.. particles];
        var bounds = new Bounds(0.1f, 0.9f);
        for (int i = 0; i < expected.Length; i++)
            StructKernels.Step(new Targets.Index1D(i), expected, 0.05f, bounds, EdgeMode.Reflect);
        Device.Value.Launch(StructKernels.Step, particles.Length, particles, 0.05f, bounds, EdgeMode.Reflect);
        for (int i = 0; i < particles.Length; i++)
        {
            // p.X + p.VX * dt may be contracted into an fma on the device: allow its rounding only.
            Assert.Equal(expected[i].X, particles[i].X, 1e-6);
            Assert.Equal(expected[i].Y, particles[i].Y, 1e-6);
            Assert.Equal(expected[i].Z, particles[i].Z, 1e-6);
            Assert.Equal((expected[i].VX, expected[i].VY, expected[i].VZ), (particles[i].VX, particles[i].VY, particles[i].VZ));
        }
    }

    [DeviceFact]
    public void Device_arrays_stay_on_the_device_between_launches_and_ilgpu_buffers_are_taken_as_they_are()
    {
        float[] x = Random(4096, 8), y = Random(4096, 9), expected = [.. y];
        for (int round = 0; round < 3; round++)
            for (int i = 0; i < x.Length; i++)
                CudaKernels.Saxpy(new Targets.Index1D(i), 0.5f, x, expected);
        using DeviceArray<float> dx = Device.Value.ToDevice(x);
        using MemoryBuffer1D<float, Stride1D.Dense> dy = Device.Value.Accelerator.Allocate1D(y);
        for (int round = 0; round < 3; round++)
            Device.Value.Launch(CudaKernels.Saxpy, x.Length, 0.5f, dx, round == 1 ? dy.View : dy);
        Assert.Equal(expected, dy.GetAsArray1D());
        Assert.Equal(x, dx.ToArray());
    }

    [DeviceFact]
    public void A_kernel_exception_names_its_block_and_thread()
    {
        int[] data = new int[1000];
        var e = Assert.Throws<IndexOutOfRangeException>(() => Device.Value.Launch(CudaKernels.OffByOne, data.Length, data));
        Assert.Contains("raised in a kernel by block", e.Message);
        Assert.IsType<IndexOutOfRangeException>(e.InnerException);
        var zero = Assert.Throws<DivideByZeroException>(() => Device.Value.Launch(CudaKernels.Divide, 10, new int[10], 4));
        Assert.Equal(new Dim3(4, 0, 0), zero.Data["Cuda.Thread"]);
    }

    [DeviceFact]
    public void Ptx_the_driver_refuses_comes_back_with_the_jit_log()
    {
        using DeviceSession session = DeviceSession.Open(0);
        var e = Assert.Throws<InvalidOperationException>(() => session.LoadKernel(".version 7.0\n.target sm_70\n.address_size 64\n.visible .entry broken() { bogus.instruction; }\n", "broken"));
        Assert.Contains("could not load the PTX", e.Message);
        Assert.Contains("bogus", e.Message);
    }

    [DeviceFact]
    public void A_launch_the_driver_rejects_is_an_exception()
    {
        // CudaTarget refuses a grid of 70,000 blocks in Y before launching (CUDA's limit is 65,535);
        // here the driver is asked directly, to see its refusal come back as an exception.
        using DeviceSession session = DeviceSession.Open(0);
        nint function = session.LoadKernel(".version 7.0\n.target sm_70\n.address_size 64\n.visible .entry empty() { ret; }\n", "empty");
        session.Launch(function, new Dim3(1), new Dim3(1), 0); // the kernel itself runs
        var e = Assert.Throws<InvalidOperationException>(() => session.Launch(function, new Dim3(1, 70_000), new Dim3(1), 0));
        Assert.Contains("launch", e.Message);
    }
}
