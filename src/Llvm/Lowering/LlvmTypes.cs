using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>IR types as LLVM types: stack types for values and parameters, memory types for slots and elements.</summary>
public sealed class LlvmTypes
{
    readonly LlvmContext context;

    public LlvmTypes(LlvmContext context)
    {
        this.context = context;
        I1 = context.Int1;
        I8 = context.Int8;
        I16 = context.Int16;
        I32 = context.Int32;
        I64 = context.Int64;
        F32 = context.Float;
        F64 = context.Double;
        Ptr = context.Pointer();
        Void = context.Void;
    }

    public LLVMTypeRef I1 { get; }
    public LLVMTypeRef I8 { get; }
    public LLVMTypeRef I16 { get; }
    public LLVMTypeRef I32 { get; }
    public LLVMTypeRef I64 { get; }
    public LLVMTypeRef F32 { get; }
    public LLVMTypeRef F64 { get; }
    public LLVMTypeRef Ptr { get; }
    public LLVMTypeRef Void { get; }

    public LlvmContext Context => context;

    /// <summary>The type a value of <paramref name="type"/> has in registers (its IL stack type).</summary>
    public LLVMTypeRef Value(IrType type) => type.StackType.Kind switch
    {
        IrTypeKind.I32 => I32,
        IrTypeKind.I64 or IrTypeKind.NInt => I64,
        IrTypeKind.F32 => F32,
        IrTypeKind.F64 => F64,
        IrTypeKind.Array or IrTypeKind.ByRef or IrTypeKind.Null or IrTypeKind.Instance => Ptr,
        _ => throw new InvalidOperationException($"{type} has no value representation"),
    };

    /// <summary>The type of <paramref name="type"/> in memory (slots, array elements, byref targets).</summary>
    public LLVMTypeRef Memory(IrType type) => type.Kind switch
    {
        IrTypeKind.Bool or IrTypeKind.I8 or IrTypeKind.U8 => I8,
        IrTypeKind.Char or IrTypeKind.I16 or IrTypeKind.U16 => I16,
        IrTypeKind.I32 or IrTypeKind.U32 => I32,
        IrTypeKind.I64 or IrTypeKind.U64 or IrTypeKind.NInt or IrTypeKind.NUInt => I64,
        IrTypeKind.F32 => F32,
        IrTypeKind.F64 => F64,
        IrTypeKind.Array or IrTypeKind.ByRef or IrTypeKind.Null or IrTypeKind.Instance => Ptr,
        _ => throw new InvalidOperationException($"{type} has no memory representation"),
    };

    /// <summary>Bit width of an integer type in memory.</summary>
    public static int Bits(IrType type) => type.Size * 8;
}
