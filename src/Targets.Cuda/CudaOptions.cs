namespace Targets.Cuda;

/// <summary>How the cuda target compiles and launches. The defaults suit the device at hand.</summary>
public sealed record CudaOptions
{
    public static CudaOptions Default { get; } = new();

    /// <summary>
    /// Compute capability as an integer (80 for sm_80). Zero: the first device's, or 70 without one
    /// (PTX for sm_70 runs on every later GPU through the driver's JIT).
    /// </summary>
    public int ComputeCapability { get; init; }

    /// <summary>PTX ISA version times ten (78 for 7.8). Zero: the architecture's minimum, which every driver that knows the architecture loads.</summary>
    public int PtxVersion { get; init; }

    /// <summary>
    /// Single-precision transcendental math through libdevice's fast approximations
    /// (<c>__nv_fast_sinf</c> and the like): faster, a few ulps off .NET's results. Off by default.
    /// </summary>
    public bool FastMath { get; init; }

    /// <summary>
    /// Check array indices (and nulls) in kernels, reporting a failed check as .NET's exception with
    /// the block and thread. On by default; off, an index out of bounds reads or writes whatever is
    /// there, as in CUDA C and ILGPU's release builds (the simulator then cannot report it either).
    /// </summary>
    public bool BoundsChecks { get; init; } = true;

    /// <summary>Threads per block of an index launch. Zero: the device's occupancy API chooses (the simulator uses 64).</summary>
    public int BlockSize { get; init; }
}

/// <summary>The size of a grid or of a block in threads, as CUDA's <c>dim3</c>: unset dimensions are 1.</summary>
public readonly record struct Dim3(int X, int Y = 1, int Z = 1)
{
    public static implicit operator Dim3(int x) => new(x);

    public static implicit operator Dim3((int X, int Y) size) => new(size.X, size.Y);

    public static implicit operator Dim3((int X, int Y, int Z) size) => new(size.X, size.Y, size.Z);

    /// <summary>All threads (or blocks): X·Y·Z.</summary>
    public long Count => (long)X * Y * Z;

    public override string ToString() => $"({X}, {Y}, {Z})";
}
