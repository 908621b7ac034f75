using Targets.Runtime;

namespace Targets.Llvm.Lowering;

/// <summary>
/// The native data layouts compiled code and .NET agree on. Changing one means changing the
/// lowering and the host stubs together.
/// </summary>
public static class NativeAbi
{
    /// <summary>Every compiled function returns this status when it completed normally.</summary>
    public const int StatusOk = 0;

    /// <summary>…and this when it raised: the exception record says what.</summary>
    public const int StatusRaised = 1;

    // Array descriptors: see Targets.Runtime.DescriptorLayout.
    public const int DescriptorOwner = DescriptorLayout.Owner;
    public const int DescriptorData = DescriptorLayout.Data;
    public const int DescriptorLength = DescriptorLayout.Length;
    public const int DescriptorHost = DescriptorLayout.Host;
    public const int DescriptorDimensions = DescriptorLayout.Dimensions;

    /// <summary>Size of a descriptor of <paramref name="rank"/>.</summary>
    public static int DescriptorSize(int rank) => DescriptorLayout.Size(rank);

    /// <summary>Bytes before an array's data in an allocation made by compiled code (16-byte aligned data).</summary>
    public static int AllocationHeader(int rank) => DescriptorLayout.AllocationHeader(rank);

    /// <summary>The largest element count .NET allows in one array (<c>Array.MaxLength</c>).</summary>
    public const long MaxArrayLength = 0x7FFFFFC7;

    // Exception record: { i32 type; i32 format; ptr argument (UTF-8, NUL-terminated, or null); i64 values[4] }.
    public const int ExceptionType = 0;
    public const int ExceptionFormat = 4;
    public const int ExceptionArgument = 8;
    public const int ExceptionValueA = 16;
    public const int ExceptionValueB = 24;
    public const int ExceptionValueCount = 4;
    public const int ExceptionRecordSize = ExceptionValueA + 8 * ExceptionValueCount;

    // Class records (what an instance's header points to on a host): see NrtRuntimeIr.
    public const int ClassRecordId = Targets.Runtime.NrtRuntimeIr.ClassRecordId;
    public const int ClassRecordDepth = Targets.Runtime.NrtRuntimeIr.ClassRecordDepth;
    public const int ClassRecordAncestry = Targets.Runtime.NrtRuntimeIr.ClassRecordAncestry;
    public const int ClassRecordInterfaces = Targets.Runtime.NrtRuntimeIr.ClassRecordInterfaces;

    /// <summary>Set in the type field beside the index of the nearest listed ancestor when the exception's own type is not listed (catches test the index, e.GetType() both).</summary>
    public const int ExceptionDerived = 1 << 16;

    /// <summary>How the host builds the exception's message.</summary>
    public enum ExceptionFormatKind
    {
        /// <summary>The constructor gets the constant argument (or nothing).</summary>
        Constant = 0,
        /// <summary>Math.Clamp's "'{min}' cannot be greater than {max}." with signed integers a, b.</summary>
        ClampSigned = 1,
        /// <summary>As <see cref="ClampSigned"/> with unsigned integers.</summary>
        ClampUnsigned = 2,
        /// <summary>As <see cref="ClampSigned"/> with doubles (bit patterns in a, b).</summary>
        ClampDouble = 3,
        /// <summary>As <see cref="ClampSigned"/> with floats (widened to double bit patterns in a, b).</summary>
        ClampSingle = 4,
        /// <summary>An allocation of a bytes failed.</summary>
        OutOfMemory = 5,
        /// <summary>The callee the target knows by token a could not be compiled (UnresolvedSymbolException).</summary>
        Unresolved = 6,
        /// <summary>The argument is an <c>ExceptionConstructor</c> descriptor; its runtime values are in the value slots.</summary>
        Constructed = 7,
        /// <summary>castclass failed: a is the instance's class, b the class it was cast to (<see cref="Frontend.Ir.ClassIdentity"/> ids).</summary>
        InvalidCast = 8,
    }

    /// <summary>Each argument of a host call takes one 8-byte slot of the argument block.</summary>
    public const int ArgumentSlotSize = 8;
}
