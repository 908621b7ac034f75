namespace Targets;

/// <summary>
/// The index of one work item of a one-dimensional kernel launch
/// (<c>target.Launch(Kernels.Saxpy, n, …)</c>): <see cref="X"/> runs over <c>0 … extent-1</c>.
/// Converts implicitly to <see cref="int"/>, so <c>y[i]</c> indexes by it.
/// </summary>
public readonly record struct Index1D(int X)
{
    public static implicit operator int(Index1D index) => index.X;

    /// <summary>The same as the implicit conversion, for languages without one.</summary>
    public int ToInt32() => X;
}

/// <summary>
/// The index of one work item of a one-dimensional launch over more than <see cref="int.MaxValue"/>
/// items (<c>target.Launch(kernel, 5_000_000_000L, …)</c>). Converts implicitly to <see cref="long"/>.
/// </summary>
public readonly record struct LongIndex1D(long X)
{
    public static implicit operator long(LongIndex1D index) => index.X;

    /// <summary>The same as the implicit conversion, for languages without one.</summary>
    public long ToInt64() => X;
}

/// <summary>
/// The index of one work item of a two-dimensional launch over <c>(width, height)</c>:
/// <see cref="X"/> runs fastest (as CUDA's <c>threadIdx.x</c> does), then <see cref="Y"/>.
/// </summary>
public readonly record struct Index2D(int X, int Y);

/// <summary>The index of one work item of a three-dimensional launch: <see cref="X"/> fastest, then <see cref="Y"/>, then <see cref="Z"/>.</summary>
public readonly record struct Index3D(int X, int Y, int Z);
