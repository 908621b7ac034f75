using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Lowers one <see cref="IrFunction"/> into the LLVM function declared for it. Slots become
/// allocas (promoted by mem2reg), block parameters become phis, and every check the IR implies
/// (division, overflow, bounds, null) branches to a block that fills the exception record and
/// returns <see cref="NativeAbi.StatusRaised"/>, or, in a block with a handler, goes to the handler
/// (which tests the record's type: <c>catches</c>). Calls propagate a callee's raised status the same way.
/// </summary>
public sealed unsafe partial class FunctionLowering
{
    readonly ModuleLowering module;
    readonly IrFunction ir;
    readonly LLVMValueRef function;
    readonly LlvmTypes t;
    readonly LLVMBuilderRef b;
    readonly LLVMValueRef[] values;
    readonly LLVMBasicBlockRef[] blocks;
    readonly List<(LLVMValueRef Phi, LLVMValueRef Value, LLVMBasicBlockRef From)> incoming = [];
    readonly Dictionary<string, LLVMBasicBlockRef> raiseBlocks = [];
    LLVMValueRef[] slots = [];
    LLVMBasicBlockRef allocaBlock;
    LLVMBasicBlockRef unwind;
    Instruction at = null!;
    /// <summary>The handler of the IR block being lowered (where its raises go), or null: out of the function.</summary>
    BlockId? handler;

    internal FunctionLowering(ModuleLowering module, IrFunction ir, LLVMValueRef function, LLVMBuilderRef builder)
    {
        this.module = module;
        this.ir = ir;
        this.function = function;
        t = module.Types;
        b = builder;
        values = new LLVMValueRef[ir.ValueTypes.Count];
        blocks = new LLVMBasicBlockRef[ir.Blocks.Count];
    }

    LLVMContextRef Context => t.Context.Handle;

    /// <summary>The builder, positioned where the instruction being lowered goes.</summary>
    public LLVMBuilderRef Builder => b;

    public LlvmTypes Types => t;

    public ModuleLowering Module => module;

    /// <summary>The C# method being lowered, as <c>Type.Method</c> (for errors).</summary>
    public string MethodName => ir.DisplayName;

    /// <summary>The LLVM function being built.</summary>
    public LLVMValueRef Function => function;

    /// <summary>A new block at the end of the function.</summary>
    public LLVMBasicBlockRef AppendBlock(string name) => LlvmApi.LLVMAppendBasicBlockInContext(Context, function, name);
    LLVMValueRef ExceptionRecord => LlvmApi.LLVMGetParam(function, 0);
    LLVMValueRef ReturnPointer => LlvmApi.LLVMGetParam(function, 1);

    public void Lower()
    {
        allocaBlock = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "allocas");
        for (int n = 0; n < ir.Blocks.Count; n++)
            blocks[n] = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, ir.Blocks[n].Id.ToString());

        LlvmApi.LLVMPositionBuilderAtEnd(b, allocaBlock);
        // Loops rather than LINQ over LLVM's handles in lowering: .NET JIT-compiles LINQ over a
        // struct in every process (ReadyToRun code has none for it), on each first compile's path.
        slots = new LLVMValueRef[ir.Slots.Count];
        for (int n = 0; n < slots.Length; n++)
            slots[n] = LlvmApi.LLVMBuildAlloca(b, t.Memory(ir.Slots[n]), "s" + n);
        // Array slots (and slots of structs that hold references) own references: they start null,
        // so the first store and the unwind block release nothing that was never there.
        for (int n = 0; n < slots.Length; n++)
        {
            if (ir.Slots[n].HoldsCounted)
                LlvmApi.LLVMBuildStore(b, LlvmApi.LLVMConstNull(t.Memory(ir.Slots[n])), slots[n]);
        }
        for (int p = 0; p < ir.Entry.Parameters.Count; p++)
        {
            LLVMValueRef parameter = LlvmApi.LLVMGetParam(function, (uint)(p + 2));
            IrType type = ir.TypeOf(ir.Entry.Parameters[p]);
            // An aggregate comes as a pointer to the caller's copy (LlvmTypes.Parameter): read it once, here.
            values[ir.Entry.Parameters[p].Index] = type.Kind == IrTypeKind.Aggregate ? Aligned(LlvmApi.LLVMBuildLoad2(b, t.Value(type), parameter, ""), type) : parameter;
        }
        LlvmApi.LLVMBuildBr(b, blocks[0]);

        // Phis first, in every block, so branches can refer to them before their blocks are lowered.
        for (int n = 1; n < ir.Blocks.Count; n++)
        {
            LlvmApi.LLVMPositionBuilderAtEnd(b, blocks[n]);
            foreach (ValueId p in ir.Blocks[n].Parameters)
                values[p.Index] = LlvmApi.LLVMBuildPhi(b, t.Value(ir.TypeOf(p)), p.ToString());
        }
        for (int n = 0; n < ir.Blocks.Count; n++)
        {
            LlvmApi.LLVMPositionBuilderAtEnd(b, blocks[n]);
            handler = ir.Blocks[n].Handler;
            foreach (Instruction instruction in ir.Blocks[n].Instructions)
            {
                at = instruction;
                LLVMValueRef result = LowerInstruction(instruction);
                if (instruction.Result is { } id)
                    values[id.Index] = result;
            }
        }
        foreach ((LLVMValueRef phi, LLVMValueRef value, LLVMBasicBlockRef from) in incoming)
        {
            LLVMValueRef v = value;
            LLVMBasicBlockRef f = from;
            LlvmApi.LLVMAddIncoming(phi, &v, &f, 1);
        }
    }

    LLVMValueRef V(ValueId id) => values[id.Index];

    /// <summary>The LLVM value of an IR value already lowered (an operand of the instruction being lowered).</summary>
    public LLVMValueRef Value(ValueId id) => V(id);

    IrType TypeOf(ValueId id) => ir.TypeOf(id);

    public LLVMValueRef Int32(long value) => LlvmApi.LLVMConstInt(t.I32, unchecked((ulong)value), 1);

    public LLVMValueRef Int64(long value) => LlvmApi.LLVMConstInt(t.I64, unchecked((ulong)value), 1);

    static LLVMValueRef ConstOf(LLVMTypeRef type, long value) => LlvmApi.LLVMConstInt(type, unchecked((ulong)value), 1);

    LLVMValueRef LowerInstruction(Instruction i)
    {
        switch (i.Op)
        {
            case Opcode.Const when i.Type.Kind == IrTypeKind.Aggregate:
                return LlvmApi.LLVMConstNull(t.Value(i.Type)); // default(S): the only struct constant
            case Opcode.Const:
                return i.Type.IsFloat
                    ? LlvmApi.LLVMConstReal(t.Value(i.Type), i.FloatConstant)
                    : ConstOf(t.Value(i.Type), i.Constant);
            case Opcode.ConstNull:
                return LlvmApi.LLVMConstNull(t.Ptr);
            case Opcode.LoadSlot:
                return ToStack(LlvmApi.LLVMBuildLoad2(b, t.Memory(ir.Slots[i.Slot]), slots[i.Slot], ""), ir.Slots[i.Slot]);
            case Opcode.StoreSlot:
                LlvmApi.LLVMBuildStore(b, ToMemory(V(i.Operands[0]), TypeOf(i.Operands[0]), ir.Slots[i.Slot]), slots[i.Slot]);
                return default;
            case Opcode.SlotAddress:
                return slots[i.Slot];
            case Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.DivUn or Opcode.Rem or Opcode.RemUn
                or Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Shl or Opcode.Shr or Opcode.ShrUn
                or Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn:
                return Binary(i);
            case Opcode.Neg:
                return i.Type.IsFloat ? LlvmApi.LLVMBuildFNeg(b, V(i.Operands[0]), "") : LlvmApi.LLVMBuildNeg(b, V(i.Operands[0]), "");
            case Opcode.Not:
                return LlvmApi.LLVMBuildNot(b, V(i.Operands[0]), "");
            case Opcode.Compare:
                return Compare(i);
            case Opcode.Convert:
                return Convert(i);
            case Opcode.Call:
                return Call(i);
            case Opcode.MathCall:
                return MathCall(i);
            case Opcode.NewArray:
                return NewArray(i);
            case Opcode.ArrayLength:
                return ArrayLength(i);
            case Opcode.ArrayDimension:
                return ArrayDimension(i);
            case Opcode.LoadElement:
                return ToStack(Aligned(LlvmApi.LLVMBuildLoad2(b, t.Memory(i.TargetType!), ElementPointer(i), ""), i.TargetType!), i.TargetType!);
            case Opcode.StoreElement:
                {
                    LLVMValueRef pointer = ElementPointer(i);
                    ValueId value = i.Operands[^1];
                    Aligned(LlvmApi.LLVMBuildStore(b, ToMemory(V(value), TypeOf(value), i.TargetType!), pointer), i.TargetType!);
                    return default;
                }
            case Opcode.ElementAddress:
                return ElementPointer(i);
            case Opcode.LoadIndirect:
                return ToStack(Aligned(LlvmApi.LLVMBuildLoad2(b, t.Memory(i.TargetType!), V(i.Operands[0]), ""), i.TargetType!), i.TargetType!);
            case Opcode.StoreIndirect:
                {
                    // An array stored through a byref lands in a struct's field (no other byref reaches an
                    // array), which may be copied into the heap: a lent one is kept first, as a field does.
                    LLVMValueRef value = V(i.Operands[1]);
                    if (IsLendable(i.TargetType!) && !SpanMembers.Contains(i.Operands[0]))
                        value = module.Target.KeepArray(this, value, i.TargetType!.Rank);
                    Aligned(LlvmApi.LLVMBuildStore(b, ToMemory(value, TypeOf(i.Operands[1]), i.TargetType!), V(i.Operands[0])), i.TargetType!);
                    return default;
                }
            case Opcode.Jump:
                LlvmApi.LLVMBuildBr(b, Target(i.Targets[0]));
                return default;
            case Opcode.Branch:
                {
                    LLVMBasicBlockRef then = Target(i.Targets[0]), otherwise = Target(i.Targets[1]);
                    LLVMValueRef test = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, V(i.Operands[0]), Int32(0), "");
                    LlvmApi.LLVMBuildCondBr(b, test, then, otherwise);
                    return default;
                }
            case Opcode.Switch:
                {
                    LLVMBasicBlockRef[] targets = i.Targets.Select(Target).ToArray();
                    LLVMValueRef sw = LlvmApi.LLVMBuildSwitch(b, V(i.Operands[0]), targets[^1], (uint)(targets.Length - 1));
                    for (int c = 0; c < targets.Length - 1; c++)
                        LlvmApi.LLVMAddCase(sw, Int32(c), targets[c]);
                    return default;
                }
            case Opcode.Return:
                if (ir.ReturnType != IrType.Void)
                {
                    ValueId value = i.Operands[0];
                    LLVMValueRef normalized = ToStack(ToMemory(V(value), TypeOf(value), ir.ReturnType), ir.ReturnType);
                    Aligned(LlvmApi.LLVMBuildStore(b, normalized, ReturnPointer), ir.ReturnType);
                }
                LlvmApi.LLVMBuildRet(b, Int32(NativeAbi.StatusOk));
                return default;
            case Opcode.Rethrow:
                LlvmApi.LLVMBuildBr(b, RaiseTarget()); // the record still says what was raised
                return default;
            case Opcode.Catches:
                return Catches(i.Exception!.Type, exactly: i.Constant == 1);
            case Opcode.SaveException or Opcode.RestoreException:
                {
                    LLVMValueRef kept = KeptException(i.Constant);
                    for (int offset = 0; offset < NativeAbi.ExceptionRecordSize; offset += 8)
                    {
                        (LLVMValueRef from, LLVMValueRef to) = i.Op == Opcode.SaveException ? (ExceptionRecord, kept) : (kept, ExceptionRecord);
                        StoreAt(to, offset, LoadAt(t.I64, from, offset));
                    }
                    return default;
                }
            case Opcode.Raise:
                for (int n = 0; n < i.Operands.Length; n++)
                    StoreAt(ExceptionRecord, NativeAbi.ExceptionValueA + 8 * n, AsBits(V(i.Operands[n]), TypeOf(i.Operands[n])));
                LlvmApi.LLVMBuildBr(b, RaiseBlock(i.Exception!));
                return default;
            case Opcode.Incref or Opcode.Decref:
                module.Target.Refcount(this, V(i.Operands[0]), TypeOf(i.Operands[0]), increment: i.Op == Opcode.Incref);
                return default;
            case Opcode.NewInstance:
                return NewInstance(i);
            case Opcode.ClassOf:
                return LoadAt(t.I64, module.Target.ClassRecordOf(this, V(i.Operands[0])), NativeAbi.ClassRecordId);
            case Opcode.AsInstance:
                {
                    LLVMValueRef value = V(i.Operands[0]);
                    return LlvmApi.LLVMBuildSelect(b, IsInstance(value, i.Type.JitClass!), value, LlvmApi.LLVMConstNull(t.Ptr), "");
                }
            case Opcode.CastInstance:
                if (i.Checked)
                    CheckCast(V(i.Operands[0]), i.Type.JitClass!);
                return V(i.Operands[0]);
            case Opcode.LoadField:
                return ToStack(Aligned(LlvmApi.LLVMBuildLoad2(b, t.Memory(i.TargetType!), FieldPointer(i), ""), i.TargetType!), i.TargetType!); // a jit class's vector field
            case Opcode.StoreField:
                {
                    LLVMValueRef pointer = FieldPointer(i);
                    LLVMValueRef value = V(i.Operands[1]);
                    if (IsLendable(i.TargetType!))
                        value = module.Target.KeepArray(this, value, i.TargetType!.Rank);
                    Aligned(LlvmApi.LLVMBuildStore(b, ToMemory(value, TypeOf(i.Operands[1]), i.TargetType!), pointer), i.TargetType!);
                    return default;
                }
            case Opcode.FieldAddress:
                return FieldPointer(i);
            case Opcode.ExtractMember when TypeOf(i.Operands[0]).Aggregate is { Lanes: > 0 }:
                return ToStack(LlvmApi.LLVMBuildExtractElement(b, V(i.Operands[0]), Int32(i.Constant), ""), i.TargetType!);
            case Opcode.MemberAddress when TypeOf(i.Operands[0]).Element!.Aggregate is { Lanes: > 0 } vector:
                return ByteOffset(V(i.Operands[0]), vector.Fields[(int)i.Constant].Offset);
            case Opcode.ExtractMember:
                {
                    (_, uint[] elements) = t.Aggregate(TypeOf(i.Operands[0]));
                    return ToStack(LlvmApi.LLVMBuildExtractValue(b, V(i.Operands[0]), elements[i.Constant], ""), i.TargetType!);
                }
            case Opcode.MemberAddress:
                {
                    (LLVMTypeRef type, uint[] elements) = t.Aggregate(TypeOf(i.Operands[0]).Element!);
                    return LlvmApi.LLVMBuildStructGEP2(b, type, V(i.Operands[0]), elements[i.Constant], "");
                }
            case Opcode.Intrinsic:
                return Intrinsic(i);
            case Opcode.Simd:
                return Simd(i);
            case Opcode.CheckNull:
                RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, V(i.Operands[0]), LlvmApi.LLVMConstNull(t.Ptr), ""), NullReference, "null");
                return default;
        }
        throw new InvalidOperationException($"no lowering for {i.Op}");
    }

    /// <summary>Binds the branch's arguments to the target's phis and returns the target block.</summary>
    LLVMBasicBlockRef Target(BlockTarget target)
    {
        IrBlock block = ir[target.Block];
        LLVMBasicBlockRef from = LlvmApi.LLVMGetInsertBlock(b);
        for (int n = 0; n < target.Arguments.Length; n++)
            incoming.Add((values[block.Parameters[n].Index], V(target.Arguments[n]), from));
        return blocks[target.Block.Index];
    }

    /// <summary>A memory-typed value widened to its stack type (small integers extend by their signedness).</summary>
    LLVMValueRef ToStack(LLVMValueRef value, IrType type)
    {
        if (type.IsFloat || type.IsReference || type.Kind == IrTypeKind.Aggregate || type.Size >= 4 && type.Kind is not (IrTypeKind.Bool or IrTypeKind.Char))
            return value;
        return type.IsUnsigned ? LlvmApi.LLVMBuildZExt(b, value, t.I32, "") : LlvmApi.LLVMBuildSExt(b, value, t.I32, "");
    }

    /// <summary>A stack value converted to the memory type of <paramref name="to"/> (IL's implicit stores truncate).</summary>
    LLVMValueRef ToMemory(LLVMValueRef value, IrType from, IrType to)
    {
        if (to.IsReference || to.Kind == IrTypeKind.Aggregate)
            return value;
        LLVMTypeRef memory = t.Memory(to);
        if (to.IsFloat)
        {
            if (from == to.StackType)
                return value;
            return to.Kind == IrTypeKind.F32 ? LlvmApi.LLVMBuildFPTrunc(b, value, memory, "") : LlvmApi.LLVMBuildFPExt(b, value, memory, "");
        }
        int fromBits = from.StackType == IrType.I32 ? 32 : 64;
        int toBits = LlvmTypes.Bits(to);
        if (fromBits == toBits)
            return value;
        if (fromBits > toBits)
            return LlvmApi.LLVMBuildTrunc(b, value, memory, "");
        return LlvmApi.LLVMBuildSExt(b, value, memory, ""); // int32 stored into a native int: sign-extends
    }

    /// <summary>
    /// Branches to a block that raises <paramref name="raise"/> when <paramref name="condition"/> (i1)
    /// holds, and continues in a new block otherwise.
    /// </summary>
    public void RaiseIf(LLVMValueRef condition, RaiseInfo raise, string what)
    {
        LLVMBasicBlockRef ok = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, what + ".ok");
        LlvmApi.LLVMBuildCondBr(b, condition, RaiseBlock(raise), ok);
        LlvmApi.LLVMPositionBuilderAtEnd(b, ok);
    }

    /// <summary>One block per distinct exception: fills the record (but the runtime values the raise stored) and returns the raised status.</summary>
    LLVMBasicBlockRef RaiseBlock(RaiseInfo raise)
    {
        string? descriptor = raise.Constructor?.Descriptor;
        string key = $"{descriptor ?? raise.ToString()} to {handler?.ToString() ?? "unwind"}";
        if (raiseBlocks.TryGetValue(key, out LLVMBasicBlockRef existing))
            return existing;
        LLVMBasicBlockRef saved = LlvmApi.LLVMGetInsertBlock(b);
        LLVMBasicBlockRef block = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "raise." + raise.Type.Name);
        LlvmApi.LLVMPositionBuilderAtEnd(b, block);
        if (descriptor is null)
            FillExceptionRecord(raise.TypeIndex, NativeAbi.ExceptionFormatKind.Constant, raise.Argument, default, default);
        else
            FillExceptionRecord(raise.TypeIndex | (RaiseInfo.IndexOf(raise.Type) < 0 ? NativeAbi.ExceptionDerived : 0), NativeAbi.ExceptionFormatKind.Constructed, descriptor, default, default);
        LlvmApi.LLVMBuildBr(b, RaiseTarget());
        LlvmApi.LLVMPositionBuilderAtEnd(b, saved);
        raiseBlocks[key] = block;
        return block;
    }

    void FillExceptionRecord(int typeIndex, NativeAbi.ExceptionFormatKind format, string? argument, LLVMValueRef a, LLVMValueRef bValue)
    {
        StoreAt(ExceptionRecord, NativeAbi.ExceptionType, Int32(typeIndex));
        StoreAt(ExceptionRecord, NativeAbi.ExceptionFormat, Int32((int)format));
        StoreAt(ExceptionRecord, NativeAbi.ExceptionArgument, argument is null ? LlvmApi.LLVMConstNull(t.Ptr) : module.StringConstant(argument));
        if (!a.IsNull)
            StoreAt(ExceptionRecord, NativeAbi.ExceptionValueA, a);
        if (!bValue.IsNull)
            StoreAt(ExceptionRecord, NativeAbi.ExceptionValueB, bValue);
    }

    /// <summary>
    /// An array type whose values .NET may lend for a call (a pinned array, no owner): arrays of
    /// numbers and of plain structs. .NET cannot pass arrays of instances or of structs that hold them.
    /// </summary>
    /// <summary>
    /// The addresses of spans' members in this function: an array stored into a span is only borrowed (a span never
    /// leaves the stack), so a lent .NET array or a stackalloc is not adopted into a MemInfo of its own there.
    /// </summary>
    HashSet<ValueId> SpanMembers => spanMembers ??= [.. ir.Blocks.SelectMany(block => block.Instructions)
        .Where(x => x.Op == Opcode.MemberAddress && TypeOf(x.Operands[0]).Element?.Aggregate?.IsSpan == true).Select(x => x.Result!.Value)];

    HashSet<ValueId>? spanMembers;

    static bool IsLendable(IrType type) => type.Kind == IrTypeKind.Array && !type.Element!.HoldsCounted;

    readonly Dictionary<long, LLVMValueRef> keptExceptions = [];

    /// <summary>The frame's copy of an exception record kept under <paramref name="number"/> (save_exception / restore_exception).</summary>
    LLVMValueRef KeptException(long number)
    {
        if (!keptExceptions.TryGetValue(number, out LLVMValueRef copy))
            keptExceptions[number] = copy = Alloca(LlvmApi.LLVMArrayType2(t.I64, NativeAbi.ExceptionRecordSize / 8));
        return copy;
    }

    /// <summary>Where a raise in the block being lowered goes: its handler, or the function's unwind block.</summary>
    LLVMBasicBlockRef RaiseTarget() => handler is { } h ? blocks[h.Index] : Unwind();

    /// <summary>
    /// Whether the exception in the record is of type <paramref name="caught"/> or derives from it (I32 0/1): its type
    /// index (a constructed exception's is its nearest ancestor among <see cref="RaiseInfo.Types"/>) is in the set of
    /// those types that are; a callee that could not be compiled (<see cref="NativeAbi.ExceptionFormatKind.Unresolved"/>)
    /// is never caught. <paramref name="exactly"/>: whether it is of type <paramref name="caught"/> itself (one of
    /// <see cref="RaiseInfo.Types"/>): its index, without <see cref="NativeAbi.ExceptionDerived"/>.
    /// </summary>
    LLVMValueRef Catches(Type caught, bool exactly)
    {
        LLVMValueRef field = LoadAt(t.I32, ExceptionRecord, NativeAbi.ExceptionType);
        LLVMValueRef compiled = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, LoadAt(t.I32, ExceptionRecord, NativeAbi.ExceptionFormat),
            Int32((int)NativeAbi.ExceptionFormatKind.Unresolved), "");
        if (exactly)
        {
            LLVMValueRef same = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, field, Int32(RaiseInfo.IndexOf(caught)), "");
            return LlvmApi.LLVMBuildZExt(b, LlvmApi.LLVMBuildAnd(b, same, compiled, ""), t.I32, "");
        }
        long mask = 0;
        for (int n = 0; n < RaiseInfo.Types.Count; n++)
        {
            if (caught.IsAssignableFrom(RaiseInfo.Types[n]))
                mask |= 1L << n;
        }
        LLVMValueRef type = LlvmApi.LLVMBuildAnd(b, field, Int32(NativeAbi.ExceptionDerived - 1), "");
        LLVMValueRef known = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.ULT, type, Int32(RaiseInfo.Types.Count), "");
        LLVMValueRef shift = LlvmApi.LLVMBuildSelect(b, known, LlvmApi.LLVMBuildZExt(b, type, t.I64, ""), Int64(0), "");
        LLVMValueRef bit = LlvmApi.LLVMBuildAnd(b, LlvmApi.LLVMBuildLShr(b, Int64(mask), shift, ""), Int64(1), "");
        LLVMValueRef matches = LlvmApi.LLVMBuildAnd(b, known, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, bit, Int64(0), ""), "");
        return LlvmApi.LLVMBuildZExt(b, LlvmApi.LLVMBuildAnd(b, matches, compiled, ""), t.I32, "");
    }

    /// <summary>
    /// The one block every raising path ends in: it releases every array slot and every reference a
    /// struct slot holds (all references a function holds live in slots, see InsertRefcounts) and
    /// returns the raised status.
    /// </summary>
    LLVMBasicBlockRef Unwind()
    {
        if (!unwind.IsNull)
            return unwind;
        LLVMBasicBlockRef saved = LlvmApi.LLVMGetInsertBlock(b);
        unwind = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "unwind");
        LlvmApi.LLVMPositionBuilderAtEnd(b, unwind);
        for (int n = 0; n < slots.Length; n++)
        {
            if (ir.Slots[n].IsCounted && !ir.BorrowedSlots.Contains(n))
                module.Target.Refcount(this, LlvmApi.LLVMBuildLoad2(b, t.Ptr, slots[n], ""), ir.Slots[n], increment: false);
            foreach (CountedLeaf leaf in ir.BorrowedSlots.Contains(n) ? [] : ir.Slots[n].Aggregate?.CountedLeaves ?? [])
                module.Target.Refcount(this, LlvmApi.LLVMBuildLoad2(b, t.Ptr, ByteOffset(slots[n], leaf.Offset), ""), leaf.Type, increment: false);
        }
        LlvmApi.LLVMBuildRet(b, Int32(NativeAbi.StatusRaised));
        LlvmApi.LLVMPositionBuilderAtEnd(b, saved);
        return unwind;
    }

    /// <summary>A null allocation raises OutOfMemoryException; the record carries the size for the message.</summary>
    public void RaiseOutOfMemoryIfNull(LLVMValueRef pointer, LLVMValueRef bytes)
    {
        LLVMBasicBlockRef raise = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "alloc.failed");
        LLVMBasicBlockRef ok = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "alloc.ok");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, pointer, LlvmApi.LLVMConstNull(t.Ptr), ""), raise, ok);
        LlvmApi.LLVMPositionBuilderAtEnd(b, raise);
        FillExceptionRecord(RaiseInfo.IndexOf(typeof(OutOfMemoryException)), NativeAbi.ExceptionFormatKind.OutOfMemory, null, bytes, default);
        LlvmApi.LLVMBuildBr(b, RaiseTarget());
        LlvmApi.LLVMPositionBuilderAtEnd(b, ok);
    }

    public LLVMValueRef ByteOffset(LLVMValueRef pointer, int offset)
    {
        if (offset == 0)
            return pointer;
        LLVMValueRef index = Int64(offset);
        return LlvmApi.LLVMBuildInBoundsGEP2(b, t.I8, pointer, &index, 1, "");
    }

    public void StoreAt(LLVMValueRef pointer, int offset, LLVMValueRef value) =>
        LlvmApi.LLVMBuildStore(b, value, ByteOffset(pointer, offset));

    public LLVMValueRef LoadAt(LLVMTypeRef type, LLVMValueRef pointer, int offset) =>
        LlvmApi.LLVMBuildLoad2(b, type, ByteOffset(pointer, offset), "");

    /// <summary>
    /// Loads a descriptor field. Descriptors never change once built, and saying so
    /// (<c>!invariant.load</c>) lets LLVM hoist data pointers and lengths out of loops even
    /// though the loop stores through other pointers: without it nothing vectorises.
    /// </summary>
    public LLVMValueRef LoadDescriptorField(LLVMTypeRef type, LLVMValueRef descriptor, int offset)
    {
        LLVMValueRef load = LoadAt(type, descriptor, offset);
        LlvmApi.LLVMSetMetadata(load, module.InvariantLoadKind, module.EmptyMetadata);
        return load;
    }

    LLVMValueRef Call(Instruction i)
    {
        (LLVMValueRef callee, LLVMTypeRef type) = module.FunctionOf(i.Callee);
        IrFunction target = module.Ir.Functions[i.Callee];
        LLVMValueRef result = default;
        if (target.ReturnType != IrType.Void)
            result = Alloca(t.Value(target.ReturnType));
        var arguments = new LLVMValueRef[i.Operands.Length + 2];
        arguments[0] = ExceptionRecord;
        arguments[1] = result.IsNull ? LlvmApi.LLVMConstNull(t.Ptr) : result;
        for (int n = 0; n < i.Operands.Length; n++)
        {
            IrType parameter = target.ParameterTypes[n];
            ValueId argument = i.Operands[n];
            arguments[n + 2] = parameter.IsReference ? V(argument)
                : parameter.Kind == IrTypeKind.Aggregate ? CopyForCall(V(argument), parameter)
                : ToStack(ToMemory(V(argument), TypeOf(argument), parameter), parameter);
        }
        if (target.IsDeclaration)
        {
            // Compiled when first called: the slot (TargetLowering.CalleeSlot) holds its resolver until then.
            LLVMValueRef address = LlvmApi.LLVMBuildLoad2(b, t.Ptr, callee, "");
            LlvmApi.LLVMSetOrdering(address, LLVMAtomicOrdering.Acquire);
            LlvmApi.LLVMSetAlignment(address, 8);
            callee = address;
        }
        LLVMValueRef status;
        fixed (LLVMValueRef* args = arguments)
            status = LlvmApi.LLVMBuildCall2(b, type, callee, args, (uint)arguments.Length, "");
        // A raised callee has filled the record: pass its status straight up.
        LLVMBasicBlockRef propagate = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "propagate");
        LLVMBasicBlockRef ok = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "call.ok");
        LLVMValueRef failed = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, status, Int32(NativeAbi.StatusOk), "");
        LlvmApi.LLVMBuildCondBr(b, failed, propagate, ok);
        LlvmApi.LLVMPositionBuilderAtEnd(b, propagate);
        LlvmApi.LLVMBuildBr(b, RaiseTarget());
        LlvmApi.LLVMPositionBuilderAtEnd(b, ok);
        return result.IsNull ? default : LlvmApi.LLVMBuildLoad2(b, t.Value(target.ReturnType), result, "");
    }

    /// <summary><paramref name="access"/>, a load or store of <paramref name="type"/>, aligned as <see cref="LlvmTypes.Alignment"/> says memory .NET lends may be.</summary>
    static LLVMValueRef Aligned(LLVMValueRef access, IrType type)
    {
        uint alignment = LlvmTypes.Alignment(type);
        if (alignment != 0)
            LlvmApi.LLVMSetAlignment(access, alignment);
        return access;
    }

    /// <summary>An aggregate argument: a copy in this function's frame, passed by its address (LlvmTypes.Parameter).</summary>
    LLVMValueRef CopyForCall(LLVMValueRef value, IrType type)
    {
        LLVMValueRef copy = Alloca(t.Value(type));
        LlvmApi.LLVMBuildStore(b, value, copy);
        return copy;
    }

    /// <summary>An alloca in the function's first block (so mem2reg can promote it), holding <paramref name="initial"/> from the start when given.</summary>
    public LLVMValueRef Alloca(LLVMTypeRef type, LLVMValueRef initial = default)
    {
        LLVMBasicBlockRef saved = LlvmApi.LLVMGetInsertBlock(b);
        LlvmApi.LLVMPositionBuilderBefore(b, LlvmApi.LLVMGetBasicBlockTerminator(allocaBlock));
        LLVMValueRef slot = LlvmApi.LLVMBuildAlloca(b, type, "");
        if (!initial.IsNull)
            LlvmApi.LLVMBuildStore(b, initial, slot);
        LlvmApi.LLVMPositionBuilderAtEnd(b, saved);
        return slot;
    }
}
