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
    // Terminators.
    Jump, Branch, Switch, Return, Raise,
}

/// <summary>Facts about each <see cref="Opcode"/>.</summary>
public static class OpcodeInfo
{
    public static bool IsTerminator(Opcode op) => op switch
    {
        Opcode.Jump or Opcode.Branch or Opcode.Switch or Opcode.Return or Opcode.Raise => true,
        _ => false,
    };

    /// <summary>May leave the function by raising an exception (checks included).</summary>
    public static bool MayThrow(Opcode op) => op switch
    {
        Opcode.Div or Opcode.DivUn or Opcode.Rem or Opcode.RemUn => true,
        Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn => true,
        Opcode.Call or Opcode.MathCall or Opcode.NewArray or Opcode.ArrayLength or Opcode.ArrayDimension => true,
        Opcode.LoadElement or Opcode.StoreElement or Opcode.ElementAddress or Opcode.Raise => true,
        Opcode.NewInstance or Opcode.LoadField or Opcode.StoreField or Opcode.FieldAddress or Opcode.CheckNull => true,
        Opcode.Convert => true, // only when checked; the instruction's flag says
        _ => false,
    };

    /// <summary>Reference-counting operations, inserted by InsertRefcounts and removed by the pruning passes.</summary>
    public static bool IsRefcountOp(Opcode op) => op is Opcode.Incref or Opcode.Decref;

    /// <summary>Writes memory or otherwise must not be removed when its result is unused.</summary>
    public static bool HasSideEffects(Opcode op) => op switch
    {
        Opcode.StoreSlot or Opcode.StoreElement or Opcode.StoreIndirect or Opcode.StoreField or Opcode.Call or Opcode.Incref or Opcode.Decref => true,
        _ => IsTerminator(op) || MayThrow(op),
    };
}

/// <summary>Comparison conditions. On floats, the "S" forms are ordered and the "U" forms unordered-or.</summary>
public enum Condition { Eq, Ne, LtS, LeS, GtS, GeS, LtU, LeU, GtU, GeU }

/// <summary>The System.Math/MathF functions the compiler implements.</summary>
public enum MathFunction
{
    Abs, Min, Max, Clamp, Sqrt, Cbrt, Sin, Cos, Tan, Sinh, Cosh, Tanh, Asin, Acos, Atan, Atan2,
    Exp, Log, Log2, Log10, Pow, Floor, Ceiling, Round, Truncate, FusedMultiplyAdd, CopySign, Sign,
}
