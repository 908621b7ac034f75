namespace Targets.Cuda;

/// <summary>
/// CUDA's built-in variables and functions, for kernels compiled by the cuda target (and run by
/// its simulator): <c>Cuda.ThreadIdx.X</c>, <c>Cuda.BlockIdx.Y</c>, <c>Cuda.SyncThreads()</c>,
/// <c>Cuda.SharedArray&lt;float&gt;(256)</c>. They have no meaning outside a grid: plain .NET
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

    static InvalidOperationException Outside(string member) =>
        new($"{member} exists only in kernels run by the cuda target (CudaTarget, or CudaTarget.Simulator() on the CPU); plain .NET has no grid.");
}
