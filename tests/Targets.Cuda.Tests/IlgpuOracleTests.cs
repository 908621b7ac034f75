using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace Targets.Cuda.Tests;

/// <summary>
/// The barrier kernels written for ILGPU, run on ILGPU's <see cref="CPUAccelerator"/>: a second
/// oracle, independent of ours, for what CUDA's semantics give. Our simulator must agree with it.
/// </summary>
public sealed class IlgpuOracleTests : IDisposable
{
    readonly Context context = Context.Create(b => b.CPU(CPUDeviceKind.Nvidia)); // NVIDIA-like: 32-thread warps, groups of up to 1024
    readonly Accelerator accelerator;

    public IlgpuOracleTests() => accelerator = context.CreateCPUAccelerator(0);

    public void Dispose()
    {
        accelerator.Dispose();
        context.Dispose();
    }

    static void IlgpuBlockSum(ArrayView<float> input, ArrayView<float> total)
    {
        ArrayView<float> partial = SharedMemory.Allocate<float>(CudaKernels.Block);
        int t = Group.IdxX;
        int i = Grid.GlobalIndex.X;
        partial[t] = i < input.Length ? input[i] : 0f;
        Group.Barrier();
        for (int stride = CudaKernels.Block / 2; stride > 0; stride /= 2)
        {
            if (t < stride)
                partial[t] += partial[t + stride];
            Group.Barrier();
        }
        if (t == 0)
            ILGPU.Atomic.Add(ref total[0], partial[0]);
    }

    static void IlgpuTiledMatMul(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int n)
    {
        const int tile = CudaKernels.Tile;
        ArrayView<float> ta = SharedMemory.Allocate<float>(tile * tile);
        ArrayView<float> tb = SharedMemory.Allocate<float>(tile * tile);
        int tx = Group.IdxX, ty = Group.IdxY;
        int row = Grid.IdxY * tile + ty, col = Grid.IdxX * tile + tx;
        float sum = 0;
        for (int k0 = 0; k0 < n; k0 += tile)
        {
            ta[ty * tile + tx] = a[row * n + k0 + tx];
            tb[ty * tile + tx] = b[(k0 + ty) * n + col];
            Group.Barrier();
            for (int k = 0; k < tile; k++)
                sum += ta[ty * tile + k] * tb[k * tile + tx];
            Group.Barrier();
        }
        c[row * n + col] = sum;
    }

    static void IlgpuStencil(ArrayView<float> input, ArrayView<float> output)
    {
        const int block = CudaKernels.Block;
        ArrayView<float> tile = SharedMemory.Allocate<float>(block + 2);
        int t = Group.IdxX;
        int i = Grid.IdxX * block + t;
        int n = (int)input.Length;
        tile[t + 1] = i < n ? input[i] : 0f;
        if (t == 0)
            tile[0] = i > 0 && i - 1 < n ? input[i - 1] : 0f;
        if (t == block - 1)
            tile[block + 1] = i + 1 < n ? input[i + 1] : 0f;
        Group.Barrier();
        if (i < n)
            output[i] = (tile[t] + tile[t + 1] + tile[t + 2]) / 3f;
    }

    static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() * 4 - 2)];
    }

    float[] RunIlgpu(Action<KernelConfig, ArrayView<float>[]> launch, KernelConfig config, params float[][] arrays)
    {
        var buffers = arrays.Select(a => accelerator.Allocate1D(a)).ToArray();
        try
        {
            launch(config, [.. buffers.Select(b => b.View.BaseView)]);
            accelerator.Synchronize();
            return buffers[^1].GetAsArray1D();
        }
        finally
        {
            foreach (var buffer in buffers)
                buffer.Dispose();
        }
    }

    [Fact]
    public void Block_sum_agrees_with_ilgpu()
    {
        float[] input = Random(1000, 11);
        int blocks = (input.Length + CudaKernels.Block - 1) / CudaKernels.Block;
        var kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>>(IlgpuBlockSum);
        float[] ilgpu = RunIlgpu((config, v) => kernel(config, v[0], v[1]), new KernelConfig(blocks, CudaKernels.Block), input, [0f]);
        float[] ours = [0f];
        CudaTarget.Simulator().LaunchGrid(CudaKernels.BlockSum, blocks, CudaKernels.Block, input, ours);
        Assert.Equal(ilgpu[0], ours[0], 3); // blocks add their sums atomically, in no fixed order
    }

    [Fact]
    public void Tiled_matmul_agrees_with_ilgpu()
    {
        const int n = 16;
        float[] a = Random(n * n, 12), b = Random(n * n, 13);
        var kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(IlgpuTiledMatMul);
        var config = new KernelConfig(new ILGPU.Index2D(n / CudaKernels.Tile, n / CudaKernels.Tile), new ILGPU.Index2D(CudaKernels.Tile, CudaKernels.Tile));
        float[] ilgpu = RunIlgpu((cfg, v) => kernel(cfg, v[0], v[1], v[2], n), config, a, b, new float[n * n]);
        float[] ours = new float[n * n];
        CudaTarget.Simulator().LaunchGrid(CudaKernels.TiledMatMul, (n / CudaKernels.Tile, n / CudaKernels.Tile), (CudaKernels.Tile, CudaKernels.Tile), a, b, ours, n);
        Assert.Equal(ilgpu, ours);
    }

    [Fact]
    public void Stencil_agrees_with_ilgpu()
    {
        float[] input = Random(200, 14);
        int blocks = (input.Length + CudaKernels.Block - 1) / CudaKernels.Block;
        var kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>>(IlgpuStencil);
        float[] ilgpu = RunIlgpu((config, v) => kernel(config, v[0], v[1]), new KernelConfig(blocks, CudaKernels.Block), input, new float[input.Length]);
        float[] ours = new float[input.Length];
        CudaTarget.Simulator().LaunchGrid(CudaKernels.Stencil, blocks, CudaKernels.Block, input, ours);
        Assert.Equal(ilgpu, ours);
    }
}
