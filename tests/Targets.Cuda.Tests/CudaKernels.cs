using Targets.Cuda;

namespace Targets.Cuda.Tests;

/// <summary>Kernels the cuda tests compile: index kernels that run on every target, and CUDA-style ones that need a grid.</summary>
public static class CudaKernels
{
    public const int Block = 64;
    public const int Tile = 8;

    public static void Saxpy(Index1D i, float a, float[] x, float[] y) => y[i] = a * x[i] + y[i];

    public static void Scale2D(Index2D i, double factor, double[,] grid) => grid[i.X, i.Y] *= factor + i.Y;

    public static void Mandelbrot(Index2D p, int width, int height, int[] iterations)
    {
        double cx = -2.0 + 3.0 * p.X / width, cy = -1.5 + 3.0 * p.Y / height;
        double x = 0, y = 0;
        int n = 0;
        while (n < 100 && x * x + y * y <= 4)
        {
            double t = x * x - y * y + cx;
            y = 2 * x * y + cy;
            x = t;
            n++;
        }
        iterations[p.Y * width + p.X] = n;
    }

    public static void Waves(Index1D i, double[] x) => x[i] = Math.Sin(x[i]) + Math.Exp(x[i] / 8) + Math.Pow(x[i], 0.5);

    /// <summary>A block sum in shared memory (a tree of barriers), then one atomic add per block.</summary>
    public static void BlockSum(float[] input, float[] total)
    {
        float[] partial = Cuda.SharedArray<float>(Block);
        int t = Cuda.ThreadIdx.X;
        int i = Cuda.BlockIdx.X * Cuda.BlockDim.X + t;
        partial[t] = i < input.Length ? input[i] : 0f;
        Cuda.SyncThreads();
        for (int stride = Block / 2; stride > 0; stride /= 2)
        {
            if (t < stride)
                partial[t] += partial[t + stride];
            Cuda.SyncThreads();
        }
        if (t == 0)
            Atomic.Add(total, 0, partial[0]);
    }

    /// <summary>C = A·B for n×n row-major matrices, n a multiple of <see cref="Tile"/>, with tiles in shared memory.</summary>
    public static void TiledMatMul(float[] a, float[] b, float[] c, int n)
    {
        float[] ta = Cuda.SharedArray<float>(Tile * Tile);
        float[] tb = Cuda.SharedArray<float>(Tile * Tile);
        int tx = Cuda.ThreadIdx.X, ty = Cuda.ThreadIdx.Y;
        int row = Cuda.BlockIdx.Y * Tile + ty, col = Cuda.BlockIdx.X * Tile + tx;
        float sum = 0;
        for (int k0 = 0; k0 < n; k0 += Tile)
        {
            ta[ty * Tile + tx] = a[row * n + k0 + tx];
            tb[ty * Tile + tx] = b[(k0 + ty) * n + col];
            Cuda.SyncThreads();
            for (int k = 0; k < Tile; k++)
                sum += ta[ty * Tile + k] * tb[k * Tile + tx];
            Cuda.SyncThreads();
        }
        c[row * n + col] = sum;
    }

    /// <summary>A three-point average, each block staging its part of the input with a one-element halo on each side.</summary>
    public static void Stencil(float[] input, float[] output)
    {
        float[] tile = Cuda.SharedArray<float>(Block + 2);
        int t = Cuda.ThreadIdx.X;
        int i = Cuda.BlockIdx.X * Block + t;
        int n = input.Length;
        tile[t + 1] = i < n ? input[i] : 0f;
        if (t == 0)
            tile[0] = i > 0 && i - 1 < n ? input[i - 1] : 0f;
        if (t == Block - 1)
            tile[Block + 1] = i + 1 < n ? input[i + 1] : 0f;
        Cuda.SyncThreads();
        if (i < n)
            output[i] = (tile[t] + tile[t + 1] + tile[t + 2]) / 3f;
    }

    /// <summary>Threads past the data return before the barrier: a divergent barrier.</summary>
    public static void DivergentBarrier(float[] data)
    {
        float[] staged = Cuda.SharedArray<float>(Block);
        int i = Cuda.BlockIdx.X * Cuda.BlockDim.X + Cuda.ThreadIdx.X;
        if (i >= data.Length)
            return;
        staged[Cuda.ThreadIdx.X] = data[i];
        Cuda.SyncThreads();
        data[i] = staged[Block - 1 - Cuda.ThreadIdx.X];
    }

    /// <summary>Writes one past the end from the last thread of the grid.</summary>
    public static void OffByOne(Index1D i, int[] data) => data[i + 1] = i;

    public static void Divide(Index1D i, int[] numerators, int divisor) => numerators[i] /= divisor - i;

    public static void Histogram(Index1D i, int[] values, int[] bins) => Atomic.Add(bins, values[i] % bins.Length, 1);

    /// <summary>Each warp's sum by shuffles down a tree; lane 0 writes it.</summary>
    public static void WarpSum(float[] input, float[] sums)
    {
        int i = Cuda.BlockIdx.X * Cuda.BlockDim.X + Cuda.ThreadIdx.X;
        float v = i < input.Length ? input[i] : 0f;
        for (int offset = 16; offset > 0; offset /= 2)
            v += Cuda.ShuffleDown(v, offset);
        if (Cuda.ThreadIdx.X % 32 == 0)
            sums[i / 32] = v;
    }

    /// <summary>A butterfly all-reduction: every lane ends with its warp's sum; then lane 5's value broadcast.</summary>
    public static void WarpAllReduce(int[] values, int[] broadcast)
    {
        int i = Cuda.BlockIdx.X * Cuda.BlockDim.X + Cuda.ThreadIdx.X;
        int v = values[i];
        for (int mask = 16; mask > 0; mask /= 2)
            v += Cuda.ShuffleXor(v, mask);
        values[i] = v;
        broadcast[i] = Cuda.Shuffle(i, 5);
    }

    /// <summary>Lanes past the data return before the shuffle: a divergent warp.</summary>
    public static void DivergentShuffle(int[] values)
    {
        int i = Cuda.BlockIdx.X * Cuda.BlockDim.X + Cuda.ThreadIdx.X;
        if (i >= values.Length)
            return;
        values[i] = Cuda.ShuffleDown(values[i], 1);
    }

    /// <summary>One-byte bools and two-byte chars: element sizes a copy must get right.</summary>
    public static void FlagsAndLetters(Index1D i, bool[] flags, char[] letters, short[] into)
    {
        into[i] = (short)(flags[i] ? letters[i] : -letters[i]);
        flags[i] = !flags[i];
        letters[i] = (char)(letters[i] + 1);
    }

    public static void GridCoordinates(int[] into)
    {
        int t = Cuda.ThreadIdx.X + Cuda.ThreadIdx.Y * Cuda.BlockDim.X;
        int b = Cuda.BlockIdx.X + Cuda.BlockIdx.Y * Cuda.GridDim.X;
        int threads = Cuda.BlockDim.X * Cuda.BlockDim.Y;
        into[b * threads + t] = b * 1000 + t;
    }
}
