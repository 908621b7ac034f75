namespace Targets.Cuda;

/// <summary>
/// CUDA's built-in variables and functions, for kernels compiled by the cuda target (and run by
/// its simulator): <c>Cuda.ThreadIdx.X</c>, <c>Cuda.BlockIdx.Y</c>, <c>Cuda.SyncThreads()</c>,
/// <c>Cuda.SharedArray&lt;float&gt;(256)</c>, <c>Cuda.ShuffleDown(v, 16)</c>. They have no meaning outside a grid: plain .NET
/// throws <see cref="InvalidOperationException"/>, and the cpu and parallel targets refuse them
/// at compile time (a kernel that takes an <see cref="Index1D"/> runs on every target).
/// </summary>
public static class Cuda
{
    /// <summary>The thread's index in its block (<c>threadIdx</c>).</summary>
    public static class ThreadIdx
    {
        public static int X => throw Outside("Cuda.ThreadIdx.X");
        public static int Y => throw Outside("Cuda.ThreadIdx.Y");
        public static int Z => throw Outside("Cuda.ThreadIdx.Z");
    }

    /// <summary>The block's index in the grid (<c>blockIdx</c>).</summary>
    public static class BlockIdx
    {
        public static int X => throw Outside("Cuda.BlockIdx.X");
        public static int Y => throw Outside("Cuda.BlockIdx.Y");
        public static int Z => throw Outside("Cuda.BlockIdx.Z");
    }

    /// <summary>Threads per block in each dimension (<c>blockDim</c>).</summary>
    public static class BlockDim
    {
        public static int X => throw Outside("Cuda.BlockDim.X");
        public static int Y => throw Outside("Cuda.BlockDim.Y");
        public static int Z => throw Outside("Cuda.BlockDim.Z");
    }

    /// <summary>Blocks in the grid in each dimension (<c>gridDim</c>).</summary>
    public static class GridDim
    {
        public static int X => throw Outside("Cuda.GridDim.X");
        public static int Y => throw Outside("Cuda.GridDim.Y");
        public static int Z => throw Outside("Cuda.GridDim.Z");
    }

    /// <summary>
    /// A barrier for the threads of a block (<c>__syncthreads()</c>): every thread of the block must
    /// reach it; shared-memory writes before it are seen by every thread after it.
    /// </summary>
    public static void SyncThreads() => throw Outside("Cuda.SyncThreads()");

    /// <summary>
    /// An array in the block's shared memory (<c>__shared__ T a[length]</c>), the same array for
    /// every thread of a block; <paramref name="length"/> must be a constant. Its contents are
    /// undefined until written.
    /// </summary>
    public static T[] SharedArray<T>(int length) where T : unmanaged => throw Outside("Cuda.SharedArray");

    /// <summary>
    /// The <paramref name="value"/> of the lane <paramref name="delta"/> above this one in the warp
    /// (<c>__shfl_down_sync(0xffffffff, value, delta)</c>); a lane with none above keeps its own.
    /// Every lane of the warp must call it together.
    /// </summary>
    public static int ShuffleDown(int value, int delta) => throw Outside("Cuda.ShuffleDown");

    /// <inheritdoc cref="ShuffleDown(int, int)"/>
    public static float ShuffleDown(float value, int delta) => throw Outside("Cuda.ShuffleDown");

    /// <summary>The <paramref name="value"/> of lane <c>lane ^ laneMask</c> (<c>__shfl_xor_sync</c>): the butterfly of warp all-reductions.</summary>
    public static int ShuffleXor(int value, int laneMask) => throw Outside("Cuda.ShuffleXor");

    /// <inheritdoc cref="ShuffleXor(int, int)"/>
    public static float ShuffleXor(float value, int laneMask) => throw Outside("Cuda.ShuffleXor");

    /// <summary>The <paramref name="value"/> of lane <paramref name="sourceLane"/> (mod 32) of the warp (<c>__shfl_sync</c>): a broadcast.</summary>
    public static int Shuffle(int value, int sourceLane) => throw Outside("Cuda.Shuffle");

    /// <inheritdoc cref="Shuffle(int, int)"/>
    public static float Shuffle(float value, int sourceLane) => throw Outside("Cuda.Shuffle");

    static InvalidOperationException Outside(string member) =>
        new($"{member} exists only in kernels run by the cuda target (CudaTarget, or CudaTarget.Simulator() on the CPU); plain .NET has no grid.");
}
