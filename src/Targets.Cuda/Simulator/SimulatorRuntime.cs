using System.Runtime.InteropServices;
using Targets.Cuda.Lowering;
using Targets.Frontend.Ir;
using Targets.Llvm;

namespace Targets.Cuda.Simulator;

/// <summary>
/// What simulated kernels call (<see cref="CudaLowering.Runtime"/>): the calling thread's grid
/// coordinates, the block barrier and the block's shared arrays, all read from the simulated
/// thread's state (<see cref="SimulatedThread"/>, one per OS thread). These are entered from native
/// code, so they never throw: a call on a thread that is not running a kernel gets zeros.
/// </summary>
internal static unsafe class SimulatorRuntime
{
    [ThreadStatic] static SimulatedThread? current;

    /// <summary>The simulated thread the calling OS thread is running now (null when none).</summary>
    public static SimulatedThread? Current
    {
        get => current;
        set => current = value;
    }

    /// <summary>Binds the runtime's symbols in <paramref name="jit"/>; before any simulated code is added.</summary>
    public static void Install(JitEngine jit)
    {
        jit.DefineAbsolute(CudaLowering.Runtime.Coordinate, (nint)(delegate* unmanaged<int, int>)&Coordinate);
        jit.DefineAbsolute(CudaLowering.Runtime.Sync, (nint)(delegate* unmanaged<int>)&Sync);
        jit.DefineAbsolute(CudaLowering.Runtime.Shared, (nint)(delegate* unmanaged<int, long, nint>)&Shared);
        jit.DefineAbsolute(CudaLowering.Runtime.Shuffle, (nint)(delegate* unmanaged<int*, int, int, int>)&Shuffle);
    }

    [UnmanagedCallersOnly]
    static int Coordinate(int kind) =>
        current is { } thread && kind >= 0 && kind <= (int)IntrinsicKind.GridDimZ ? thread.Coordinates[kind] : 0;

    [UnmanagedCallersOnly]
    static int Sync() => current?.Block?.Arrive() ?? 0;

    [UnmanagedCallersOnly]
    static nint Shared(int site, long bytes) => current?.Block?.Shared(site, bytes) ?? 0;

    [UnmanagedCallersOnly]
    static int Shuffle(int* bits, int kind, int lane)
    {
        if (current is not { Block: { } block } thread)
            return 0; // not in a kernel: the value stays
        (int result, bool diverged) = block.Shuffle(thread.LinearThread, *bits, (IntrinsicKind)kind, lane);
        *bits = result;
        return diverged ? 1 : 0;
    }
}

/// <summary>One simulated CUDA thread: its coordinates (in <see cref="IntrinsicKind"/> order) and its block.</summary>
internal sealed class SimulatedThread
{
    public int[] Coordinates { get; } = new int[(int)IntrinsicKind.GridDimZ + 1];

    public BlockState? Block { get; set; }

    /// <summary>The thread's index in its block, X fastest: lanes of a warp are 32 consecutive ones.</summary>
    public int LinearThread => Coordinates[0] + Coordinates[1] * Coordinates[6] + Coordinates[2] * Coordinates[6] * Coordinates[7];

    /// <summary>Sets the coordinates of thread <paramref name="thread"/> of block <paramref name="block"/>.</summary>
    public void Place(Dim3 grid, Dim3 blockSize, (int X, int Y, int Z) block, (int X, int Y, int Z) thread)
    {
        int[] c = Coordinates;
        (c[0], c[1], c[2]) = thread;
        (c[3], c[4], c[5]) = block;
        (c[6], c[7], c[8]) = (blockSize.X, blockSize.Y, blockSize.Z);
        (c[9], c[10], c[11]) = (grid.X, grid.Y, grid.Z);
    }
}
