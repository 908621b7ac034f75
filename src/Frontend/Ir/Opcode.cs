namespace Targets.Frontend.Ir;

/// <summary>
/// IR operations. Properties (terminator, may throw, side effects) live in one table,
/// <see cref="OpcodeInfo"/>; passes and the verifier ask it rather than listing opcodes.
/// </summary>
public enum Opcode
{
    // Constants. Const holds its value in Instruction.Constant (integers) or FloatConstant.
    Const, ConstNull,
    // Local and argument slots (lowered to stack memory; LLVM's mem2reg makes them SSA).
    LoadSlot, StoreSlot, SlotAddress,
    // Arithmetic with wrap-around; Div/Rem check for zero and MinValue / -1 and raise.
    Add, Sub, Mul, Div, DivUn, Rem, RemUn, And, Or, Xor, Shl, Shr, ShrUn, Neg, Not,
    // Checked arithmetic: raises OverflowException.
    AddOvf, AddOvfUn, SubOvf, SubOvfUn, MulOvf, MulOvfUn,
    // Comparison to an I32 0/1, by Instruction.Condition.
    Compare,
    // Conversion to Instruction.TargetType (a stack type results); Checked and SourceUnsigned flags.
    Convert,
    // Calls: to another compiled function, or to a math intrinsic.
    Call, MathCall,
    // Arrays (pointers to descriptors). Element ops take the array, then one index per dimension.
    NewArray, ArrayLength, ArrayDimension, LoadElement, StoreElement, ElementAddress,
    // Memory through a byref.
    LoadIndirect, StoreIndirect,
    // NRT reference counting of an array's owner or an instance (no-ops on null and on .NET arrays).
    Incref, Decref,
    // Jit class instances: allocation (zeroed), fields (Instruction.Field), and the null check of callvirt.
    NewInstance, LoadField, StoreField, FieldAddress, CheckNull,
    // Jit class hierarchies: the class of a (non-null) instance (I64: JitClassType.ClassId, what virtual dispatch
    // compares); the reference if it is an instance of the result type's class or of a class derived from it, else
    // null (isinst); the same reference seen as another class of its hierarchy (upward, or after a test), which
    // when Checked raises InvalidCastException for an instance of another class (castclass; null passes).
    ClassOf, AsInstance, CastInstance,
    // Struct values (aggregates): a field of a value, and the address of a field through a byref to
    // one (Instruction.Constant: the field's index in the aggregate, TargetType: its type).
    ExtractMember, MemberAddress,
    // SIMD vectors (aggregates with AggregateLayout.Lanes): the operation Instruction.Simd, lane by lane.
    Simd,
    // What a target provides (Instruction.Intrinsic): grid coordinates, barriers, shared arrays,
    // atomic read-modify-write of an array element (operands: array, index, value[, comparand]).
    Intrinsic,
    // Exceptions caught (a block's IrBlock.Handler): whether the exception being handled is of
    // Instruction.Exception's type or derives from it (I32 0/1); a copy of what was raised kept
    // (save) and put back (restore) under the number Instruction.Constant, so that a handler
    // rethrows its own exception whatever was raised and caught in between.
    Catches, SaveException, RestoreException,
    // Terminators. Rethrow raises the exception being handled again (throw; in a catch).
    Jump, Branch, Switch, Return, Raise, Rethrow,
}

/// <summary>The operations of <see cref="Opcode.Intrinsic"/>.</summary>
public enum IntrinsicKind
{
    ThreadIdxX, ThreadIdxY, ThreadIdxZ, BlockIdxX, BlockIdxY, BlockIdxZ,
    BlockDimX, BlockDimY, BlockDimZ, GridDimX, GridDimY, GridDimZ,
    /// <summary>A barrier for the threads of a block.</summary>
    SyncThreads,
    /// <summary>A block-shared array of <c>Instruction.TargetType</c> with <c>Instruction.Constant</c> elements.</summary>
    SharedArray,
    /// <summary>
    /// An array of <c>Instruction.TargetType</c> on the calling function's stack (<c>stackalloc</c>): operand, its
    /// length (I32, not negative); zeroed; its owner is null (never counted), and it lives until the function returns.
    /// </summary>
    StackArray,
    /// <summary>
    /// A read-only array of <c>Instruction.Constant</c> elements of <c>Instruction.TargetType</c> whose values are the
    /// data of the field <c>Instruction.Field</c> (the C# compiler's blob behind <c>ReadOnlySpan&lt;T&gt; P =&gt; new T[] { … }</c>),
    /// in the module's constant memory; its owner is null (never counted).
    /// </summary>
    ConstantArray,
    /// <summary>
    /// The .NET array a <c>static readonly</c> field <c>Instruction.Field</c> holds (of <c>Instruction.TargetType</c>), the
    /// object itself: pinned for the process's life and reached through a descriptor the host makes (writes into its
    /// elements are .NET's to see, as in .NET); its owner is null (never counted).
    /// </summary>
    StaticArray,
    /// <summary>
    /// A string literal (<c>ldstr</c>): the characters <c>Instruction.Text</c> as a constant of the module, in its constant
    /// memory, behind a descriptor whose owner and host are null (never counted; the host makes the .NET string, interned
    /// as .NET interns literals, if it is returned).
    /// </summary>
    StringLiteral,
    /// <summary>
    /// The characters of a string (operand) as a <c>char[]</c>: the same descriptor, so a <c>ReadOnlySpan&lt;char&gt;</c>
    /// can view them. Nothing writes through it (only read-only spans are made of it).
    /// </summary>
    StringChars,
    /// <summary>
    /// <c>memmove</c> between two one-dimensional arrays of numbers (operands: source, its byte offset, destination, its byte
    /// offset, the byte count, all I32): <c>Buffer.BlockCopy</c>'s copy, after its checks (the bytes lie inside both arrays).
    /// </summary>
    CopyBytes,
    /// <summary>
    /// A view of an array's memory as elements of another number or plain struct type (<c>MemoryMarshal.Cast</c>): operands
    /// the source array (one-dimensional, null or not), the byte offset of the view's first element in it (I64) and the
    /// view's length (I32); the importer keeps the bytes inside the source. A new array of <c>Instruction.TargetType</c>
    /// whose data is the source's: it holds one reference to the source's owner (none for a null source, whose view is
    /// null) and its own count, as <see cref="Opcode.NewArray"/>'s result does.
    /// </summary>
    ArrayView,
    /// <summary>
    /// The address operand (a byref) as a reference to <c>Instruction.TargetType</c> (<c>Unsafe.As&lt;TFrom, TTo&gt;(ref TFrom)</c>):
    /// the same address; the importer allows it only where the new type is no larger and no more aligned than the old.
    /// </summary>
    ReinterpretRef,
    /// <summary>
    /// An array of <c>Instruction.Constant</c> elements of <c>Instruction.TargetType</c> that lie from the address operand on
    /// in this function's frame (an inline array's elements, viewed by a span): a descriptor in the frame, owner and
    /// host null (never counted), valid until the function returns.
    /// </summary>
    FrameArray,
    /// <summary>Warp shuffles of a 32-bit value (operands: value, delta / lane mask / source lane).</summary>
    ShuffleDown, ShuffleXor, ShuffleIndex,
    AtomicAdd, AtomicMin, AtomicMax, AtomicExchange, AtomicCompareExchange,
}

/// <summary>Facts about <see cref="IntrinsicKind"/>.</summary>
public static class IntrinsicInfo
{
    /// <summary>A read of a grid coordinate: the same value wherever the thread reads it.</summary>
    public static bool IsCoordinate(IntrinsicKind kind) => kind <= IntrinsicKind.GridDimZ;

    /// <summary>An atomic operation on an array element.</summary>
    public static bool IsAtomic(IntrinsicKind kind) => kind >= IntrinsicKind.AtomicAdd;

    /// <summary>A warp shuffle: every lane of the warp takes part.</summary>
    public static bool IsShuffle(IntrinsicKind kind) => kind is IntrinsicKind.ShuffleDown or IntrinsicKind.ShuffleXor or IntrinsicKind.ShuffleIndex;

    /// <summary>Operands the kind takes.</summary>
    public static int Arity(IntrinsicKind kind) => kind switch
    {
        _ when IsShuffle(kind) => 2,
        IntrinsicKind.AtomicCompareExchange => 4,
        IntrinsicKind.CopyBytes => 5,
        IntrinsicKind.ArrayView => 3,
        IntrinsicKind.StackArray or IntrinsicKind.StringChars or IntrinsicKind.ReinterpretRef or IntrinsicKind.FrameArray => 1,
        _ when IsAtomic(kind) => 3,
        _ => 0,
    };
}

/// <summary>
/// Facts about each <see cref="Opcode"/>, from one exhaustive table: a new opcode that is not
/// added to <see cref="Facts"/> does not compile (CS8509 is an error), so it cannot silently
/// become "cannot throw".
/// </summary>
public static class OpcodeInfo
{
    /// <summary>What an opcode does beyond computing its result.</summary>
    [Flags]
    enum Effect
    {
        None = 0,
        /// <summary>Ends a block.</summary>
        Terminates = 1,
        /// <summary>May leave the function by raising (checks included).</summary>
        Throws = 2,
        /// <summary>Writes memory or counts references: must stay even when its result is unused.</summary>
        Writes = 4,
    }

    static Effect Facts(Opcode op) => op switch
    {
        Opcode.Const or Opcode.ConstNull => Effect.None,
        Opcode.LoadSlot or Opcode.SlotAddress => Effect.None,
        Opcode.StoreSlot => Effect.Writes,
        Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.And or Opcode.Or or Opcode.Xor
            or Opcode.Shl or Opcode.Shr or Opcode.ShrUn or Opcode.Neg or Opcode.Not => Effect.None,
        Opcode.Div or Opcode.DivUn or Opcode.Rem or Opcode.RemUn => Effect.Throws,
        Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn => Effect.Throws,
        Opcode.Compare => Effect.None,
        Opcode.Convert => Effect.Throws, // only when checked; the instruction's flag says
        Opcode.Call => Effect.Throws | Effect.Writes,
        Opcode.MathCall => Effect.Throws,
        Opcode.NewArray or Opcode.ArrayLength or Opcode.ArrayDimension => Effect.Throws,
        Opcode.LoadElement or Opcode.ElementAddress => Effect.Throws,
        Opcode.StoreElement => Effect.Throws | Effect.Writes,
        Opcode.LoadIndirect => Effect.None,
        Opcode.StoreIndirect => Effect.Writes,
        Opcode.Incref or Opcode.Decref => Effect.Writes,
        Opcode.NewInstance or Opcode.LoadField or Opcode.FieldAddress or Opcode.CheckNull => Effect.Throws,
        Opcode.StoreField => Effect.Throws | Effect.Writes,
        Opcode.ExtractMember or Opcode.MemberAddress => Effect.None,
        Opcode.Simd => Effect.Writes, // a store writes; the rest are pure, but one fact per opcode keeps the table honest
        Opcode.ClassOf or Opcode.AsInstance => Effect.None, // a class record never changes
        Opcode.CastInstance => Effect.Throws, // only when checked; the instruction's flag says
        Opcode.Intrinsic => Effect.Throws | Effect.Writes, // atomics write and check bounds, a barrier orders memory
        Opcode.Jump or Opcode.Branch or Opcode.Switch or Opcode.Return => Effect.Terminates,
        Opcode.Catches => Effect.None,
        Opcode.SaveException or Opcode.RestoreException => Effect.Writes,
        Opcode.Raise or Opcode.Rethrow => Effect.Terminates | Effect.Throws,
    };

    public static bool IsTerminator(Opcode op) => Facts(op).HasFlag(Effect.Terminates);

    /// <summary>May leave the function by raising an exception (checks included).</summary>
    public static bool MayThrow(Opcode op) => Facts(op).HasFlag(Effect.Throws);

    /// <summary>Reference-counting operations, inserted and removed by the NRT passes.</summary>
    public static bool IsRefcountOp(Opcode op) => op is Opcode.Incref or Opcode.Decref;

    /// <summary>Writes memory or otherwise must not be removed when its result is unused.</summary>
    public static bool HasSideEffects(Opcode op) => Facts(op) != Effect.None;
}

/// <summary>
/// The operations of <see cref="Opcode.Simd"/> on SIMD vectors (aggregates with <see cref="AggregateLayout.Lanes"/>):
/// lane by lane, with the results x64 .NET gives, unless said otherwise. The importer checks what .NET checks (lanes,
/// lengths) before it emits one; none of them raises.
/// </summary>
public enum SimdOp
{
    /// <summary>(scalar) → a vector with every lane the value.</summary>
    Splat,
    /// <summary>(a, b) → a vector. Divide is of floats only (integer lanes divide one by one, as .NET does, in scalar IR).</summary>
    Add, Subtract, Multiply, Divide,
    /// <summary>(a, b) → a vector of bits: a &amp; b, a | b, a ^ b, a &amp; ~b.</summary>
    And, Or, Xor, AndNot,
    /// <summary>(a, b) → a vector: of floats, IEEE 754-2019's minimum and maximum (a NaN wins, −0 is below +0), as .NET 9 and later.</summary>
    Min, Max,
    /// <summary>(a) → a vector. Abs of a float clears the sign bit; of an integer it wraps (MinValue stays); Sqrt, Floor and Ceiling are of floats.</summary>
    Negate, Not, Abs, Sqrt, Floor, Ceiling,
    /// <summary>(a, b) → a mask of the operands' type: each lane all ones where it holds, else zero (floats: ordered; integers: by the lane type's signedness).</summary>
    Equal, LessThan, LessOrEqual, GreaterThan, GreaterOrEqual,
    /// <summary>(mask, a, b) → bits of a where the mask's are set, else of b (.NET's ConditionalSelect).</summary>
    Select,
    /// <summary>(vector, I32 count) → a vector shifted by the count masked to the lane width.</summary>
    ShiftLeft, ShiftRightArithmetic, ShiftRightLogical,
    /// <summary>(vector) → the lanes' sum as the lane's stack type, pairwise (halves first, recursively), the order .NET's Sum and Dot use.</summary>
    Sum,
    /// <summary>(mask) → I32 1 when every lane (All) or some lane (Any) is not zero, else 0.</summary>
    All, Any,
    /// <summary>(vector, I32 lane) → the lane as its stack type; the lane is below Lanes.</summary>
    Lane,
    /// <summary>(vector, I32 lane, scalar) → the vector with that lane replaced; the lane is below Lanes.</summary>
    WithLane,
    /// <summary>(byref to a lane-typed element) → the vector of Lanes consecutive elements from there, which exist.</summary>
    Load,
    /// <summary>(vector, byref to a lane-typed element): writes the lanes to Lanes consecutive elements from there, which exist.</summary>
    Store,
    /// <summary>(vector) → the same bits as another vector type of the same size.</summary>
    Reinterpret,
}

/// <summary>Comparison conditions. On floats, the "S" forms are ordered and the "U" forms unordered-or.</summary>
public enum Condition { Eq, Ne, LtS, LeS, GtS, GeS, LtU, LeU, GtU, GeU }

/// <summary>The System.Math/MathF functions the compiler implements.</summary>
public enum MathFunction
{
    Abs, Min, Max, Clamp, Sqrt, Cbrt, Sin, Cos, Tan, Sinh, Cosh, Tanh, Asin, Acos, Atan, Atan2,
    Exp, Log, Log2, Log10, Pow, Floor, Ceiling, Round, Truncate, FusedMultiplyAdd, CopySign, Sign,
    /// <summary>Bit counts and rotations of integers (BitOperations, generic math's IBinaryInteger): counts give an int.</summary>
    PopCount, LeadingZeroCount, TrailingZeroCount, RotateLeft, RotateRight,
}
