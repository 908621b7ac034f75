using Targets.Frontend.Ir;
using Targets.Llvm.Lowering;

namespace Targets.Cuda.Lowering;

/// <summary>How the host starts compiled code on the grid.</summary>
public enum CudaEntryKind
{
    /// <summary>A function run by one thread: <c>Compile(f).Invoke(…)</c>; its result goes to a buffer.</summary>
    Function,
    /// <summary>A kernel without an index parameter, launched with an explicit grid and block; it reads <see cref="Cuda.ThreadIdx"/> and the like.</summary>
    Grid,
    /// <summary>A kernel whose first parameter is an <see cref="Index1D"/>, <see cref="LongIndex1D"/>, <see cref="Index2D"/> or <see cref="Index3D"/>: one thread per index, guarded by the extent.</summary>
    Index,
}

/// <summary>
/// The kernel ABI of the cuda target (device and simulator alike). The entry is
/// <c>void @module_kernel(ptr error, LEADING…, FLATTENED ARGUMENTS…)</c> where LEADING is
/// <c>ptr result</c> (<see cref="CudaEntryKind.Function"/>), nothing (<see cref="CudaEntryKind.Grid"/>),
/// or the extent of an index kernel (<see cref="CudaEntryKind.Index"/>): <c>i64 count</c> for a
/// <see cref="LongIndex1D"/>, else one <c>i32</c> per dimension, each index coordinate coming from
/// the grid dimension of its own (x, y, z). Each argument is
/// flattened: a scalar is itself; an array is <c>ptr data, i64 length</c> and, for rank &gt; 1, one
/// <c>i64</c> per dimension; a jit-class instance is a <c>ptr</c> to its immutable C struct in device
/// memory; a struct is passed by value, a <c>ptr byval</c> parameter whose bytes the driver copies
/// into the kernel's <c>.param</c> space from the host address the host passes.
/// The error slot is <see cref="ErrorSlotSize"/> bytes the host zeroes before a launch: the first
/// thread to raise sets the flag and writes its exception record and coordinates.
/// </summary>
public sealed record CudaEntry(CudaEntryKind Kind, int Rank = 0, bool LongIndex = false)
{
    public const int ErrorFlag = 0;
    public const int ErrorRecord = 8;
    public const int ErrorBlock = ErrorRecord + NativeAbi.ExceptionRecordSize;
    public const int ErrorThread = ErrorBlock + 12;
    public const int ErrorSlotSize = ErrorThread + 12;

    /// <summary>The symbol of the kernel for a module named <paramref name="moduleName"/> (a PTX identifier).</summary>
    public static string KernelSymbol(string moduleName) => moduleName + "_kernel";

    /// <summary>IR parameters of the entry before the user's arguments: the index coordinates of an index kernel.</summary>
    public int IndexParameters => Kind == CudaEntryKind.Index ? (LongIndex ? 1 : Rank) : 0;

    /// <summary>Kernel parameters before the flattened arguments (error slot included).</summary>
    public int LeadingParameters => Kind switch
    {
        CudaEntryKind.Function => 2,
        CudaEntryKind.Grid => 1,
        _ => 1 + IndexParameters,
    };

    /// <summary>How many kernel parameters one argument of <paramref name="type"/> becomes.</summary>
    public static int Flattened(IrType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind == IrTypeKind.Array ? 2 + (type.Rank > 1 ? type.Rank : 0) : 1;
    }
}
