using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>The opcode dispatch: one case per IL opcode the supported subset uses.</summary>
internal sealed partial class IlImporter
{
    void ImportInstruction()
    {
        string name = instruction.OpCode.Name!;
        switch (name)
        {
            case "ldftn":
                LoadFunction();
                return;
            case "calli":
                CallFunction(pointer: true);
                return;
            case "constrained.":
                constrainedTo = ResolveType(instruction.Token) is var constrained && Collections.CollectionTypes.SubstituteOf(constrained) is { } substitute ? substitute : constrained;
                return;
            case "nop" or "volatile." or "unaligned." or "tail." or "readonly.":
                return; // prefixes that change nothing for the code we generate
            case "ldarg.0" or "ldarg.1" or "ldarg.2" or "ldarg.3":
                LoadArgument(name[^1] - '0', address: false);
                return;
            case "ldarg.s" or "ldarg":
                LoadArgument((int)instruction.Operand, address: false);
                return;
            case "ldarga.s" or "ldarga":
                LoadArgument((int)instruction.Operand, address: true);
                return;
            case "starg.s" or "starg":
                StoreSlot(ArgumentSlot((int)instruction.Operand));
                return;
            case "ldloc.0" or "ldloc.1" or "ldloc.2" or "ldloc.3":
                LoadSlot(argumentCount + (name[^1] - '0'));
                return;
            case "ldloc.s" or "ldloc":
                LoadSlot(argumentCount + (int)instruction.Operand);
                return;
            case "ldloca.s" or "ldloca":
                LocalAddress(argumentCount + (int)instruction.Operand);
                return;
            case "stloc.0" or "stloc.1" or "stloc.2" or "stloc.3":
                StoreSlot(argumentCount + (name[^1] - '0'));
                return;
            case "stloc.s" or "stloc":
                StoreSlot(argumentCount + (int)instruction.Operand);
                return;
            case "ldnull":
                Push(Emit(Opcode.ConstNull, IrType.Null, []));
                return;
            case "ldc.i4.m1":
                Push(ConstI32(-1));
                return;
            case "ldc.i4.0" or "ldc.i4.1" or "ldc.i4.2" or "ldc.i4.3" or "ldc.i4.4" or "ldc.i4.5" or "ldc.i4.6" or "ldc.i4.7" or "ldc.i4.8":
                Push(ConstI32(name[^1] - '0'));
                return;
            case "ldc.i4.s" or "ldc.i4":
                Push(ConstI32((int)instruction.Operand));
                return;
            case "ldc.i8":
                Push(Emit(Opcode.Const, IrType.I64, [], constant: instruction.Operand));
                return;
            case "ldc.r4":
                Push(Emit(Opcode.Const, IrType.F32, [], floatConstant: instruction.Float32));
                return;
            case "ldc.r8":
                Push(Emit(Opcode.Const, IrType.F64, [], floatConstant: instruction.Float64));
                return;
            case "dup":
                {
                    StackItem top = PopItem();
                    stack.Add(top);
                    stack.Add(top);
                    return;
                }
            case "pop":
                PopItem();
                return;
            case "leave" or "leave.s":
                Leave(instruction.Targets[0]);
                return;
            case "endfinally":
                EndFinally();
                return;
            case "rethrow":
                RethrowCaught();
                return;
            case "isinst" when stack.Count > 0 && stack[^1].Caught is not null:
                IsCaught();
                return;
            case "isinst" or "castclass" when IsJitClassCast():
                JitClassCast(throws: name == "castclass");
                return;
            case "endfilter":
                EndFilter();
                return;
            case "ret":
                Return();
                return;
            case "br" or "br.s":
                Emit(Opcode.Jump, IrType.Void, [], targets: [TargetFor(instruction.Targets[0])]);
                return;
            case "brtrue" or "brtrue.s" or "brfalse" or "brfalse.s":
                BranchOnValue(name.StartsWith("brtrue", StringComparison.Ordinal));
                return;
            case "beq" or "beq.s": CompareAndBranch(Condition.Eq); return;
            case "bne.un" or "bne.un.s": CompareAndBranch(Condition.Ne); return;
            case "bge" or "bge.s": CompareAndBranch(Condition.GeS); return;
            case "bge.un" or "bge.un.s": CompareAndBranch(Condition.GeU); return;
            case "bgt" or "bgt.s": CompareAndBranch(Condition.GtS); return;
            case "bgt.un" or "bgt.un.s": CompareAndBranch(Condition.GtU); return;
            case "ble" or "ble.s": CompareAndBranch(Condition.LeS); return;
            case "ble.un" or "ble.un.s": CompareAndBranch(Condition.LeU); return;
            case "blt" or "blt.s": CompareAndBranch(Condition.LtS); return;
            case "blt.un" or "blt.un.s": CompareAndBranch(Condition.LtU); return;
            case "switch":
                Switch();
                return;
            case "ceq": Push(Compare(Condition.Eq)); return;
            case "cgt": Push(Compare(Condition.GtS)); return;
            case "cgt.un": Push(Compare(Condition.GtU)); return;
            case "clt": Push(Compare(Condition.LtS)); return;
            case "clt.un": Push(Compare(Condition.LtU)); return;
            case "add": Binary(Opcode.Add); return;
            case "sub": Binary(Opcode.Sub); return;
            case "mul": Binary(Opcode.Mul); return;
            case "div": Binary(Opcode.Div); return;
            case "div.un": Binary(Opcode.DivUn); return;
            case "rem": Binary(Opcode.Rem); return;
            case "rem.un": Binary(Opcode.RemUn); return;
            case "and": Binary(Opcode.And); return;
            case "or": Binary(Opcode.Or); return;
            case "xor": Binary(Opcode.Xor); return;
            case "add.ovf": Binary(Opcode.AddOvf); return;
            case "add.ovf.un": Binary(Opcode.AddOvfUn); return;
            case "sub.ovf": Binary(Opcode.SubOvf); return;
            case "sub.ovf.un": Binary(Opcode.SubOvfUn); return;
            case "mul.ovf": Binary(Opcode.MulOvf); return;
            case "mul.ovf.un": Binary(Opcode.MulOvfUn); return;
            case "shl": Shift(Opcode.Shl); return;
            case "shr": Shift(Opcode.Shr); return;
            case "shr.un": Shift(Opcode.ShrUn); return;
            case "neg": Unary(Opcode.Neg); return;
            case "not": Unary(Opcode.Not); return;
            case "ldind.i1": LoadIndirect(IrType.I8); return;
            case "ldind.u1": LoadIndirect(IrType.U8); return;
            case "ldind.i2": LoadIndirect(IrType.I16); return;
            case "ldind.u2": LoadIndirect(IrType.U16); return;
            case "ldind.i4": LoadIndirect(IrType.I32); return;
            case "ldind.u4": LoadIndirect(IrType.U32); return;
            case "ldind.i8": LoadIndirect(IrType.I64); return;
            case "ldind.i": LoadIndirect(IrType.NInt); return;
            case "ldind.r4": LoadIndirect(IrType.F32); return;
            case "ldind.r8": LoadIndirect(IrType.F64); return;
            case "stind.i1": StoreIndirect(IrType.I8); return;
            case "stind.i2": StoreIndirect(IrType.I16); return;
            case "stind.i4": StoreIndirect(IrType.I32); return;
            case "stind.i8": StoreIndirect(IrType.I64); return;
            case "stind.i": StoreIndirect(IrType.NInt); return;
            case "stind.r4": StoreIndirect(IrType.F32); return;
            case "stind.r8": StoreIndirect(IrType.F64); return;
            case "ldobj": LoadIndirect(ValueToken("ldobj")); return;
            case "stobj": StoreIndirect(ValueToken("stobj")); return;
            case "initobj":
                {
                    // default(T) of a generic T that is an instance or an array: null into the local whose address IL took.
                    if (stack.Count > 0 && (stack[^1].InstanceSlot ?? stack[^1].ArraySlot) is int slot)
                    {
                        PopItem();
                        Emit(Opcode.StoreSlot, IrType.Void, [Zero(function.Slots[slot])], slot: slot);
                        return;
                    }
                    IrType type = ValueToken("initobj");
                    ValueId address = Pop();
                    Emit(Opcode.StoreIndirect, IrType.Void, [address, Zero(type)], target: type);
                    return;
                }
            case "newarr": NewArray(); return;
            case "ldlen": ArrayLength(nativeResult: true); return;
            case "ldelema":
                {
                    IrType element = ElementToken("ldelema");
                    if (element.Kind == IrTypeKind.Instance)
                        throw ElementReference(element);
                    ElementAddress(element);
                    return;
                }
            case "ldelem.i1": LoadElement(IrType.I8); return;
            case "ldelem.u1": LoadElement(IrType.U8); return;
            case "ldelem.i2": LoadElement(IrType.I16); return;
            case "ldelem.u2": LoadElement(IrType.U16); return;
            case "ldelem.i4": LoadElement(IrType.I32); return;
            case "ldelem.u4": LoadElement(IrType.U32); return;
            case "ldelem.i8": LoadElement(IrType.I64); return;
            case "ldelem.i": LoadElement(IrType.NInt); return;
            case "ldelem.r4": LoadElement(IrType.F32); return;
            case "ldelem.r8": LoadElement(IrType.F64); return;
            case "ldelem": LoadElement(ElementToken("ldelem")); return;
            case "ldelem.ref": LoadReferenceElement(); return;
            case "stelem.i1": StoreElement(IrType.I8); return;
            case "stelem.i2": StoreElement(IrType.I16); return;
            case "stelem.i4": StoreElement(IrType.I32); return;
            case "stelem.i8": StoreElement(IrType.I64); return;
            case "stelem.i": StoreElement(IrType.NInt); return;
            case "stelem.r4": StoreElement(IrType.F32); return;
            case "stelem.r8": StoreElement(IrType.F64); return;
            case "stelem": StoreElement(ElementToken("stelem")); return;
            case "stelem.ref": StoreReferenceElement(); return;
            case "call": Call(); return;
            case "localloc": LocalAllocation(); return;
            case "callvirt": CallVirtual(); return;
            case "newobj": NewObject(); return;
            case "throw": Throw(); return;
            case "ldstr":
                stack.Add(new StackItem(default, String: method.Module.ResolveString(instruction.Token)));
                return;
            case "ldsfld": LoadStaticField(); return;
            case "ldsflda": StaticFieldAddress(); return;
            case "ldfld": LoadField(); return;
            case "stfld": StoreField(); return;
            case "box": Box(); return;
            case "unbox.any" or "castclass": Unbox(name); return;
            case "ldflda": FieldAddress(); return;
            case "ldtoken":
                {
                    // Only the field token of an array initialiser (consumed by InitializeArray).
                    MemberInfo member = method.Module.ResolveMember(instruction.Token, TypeArguments, MethodArguments)!;
                    if (member is Type type)
                    {
                        TypeTokenOf(type);
                        return;
                    }
                    if (member is not FieldInfo field)
                        throw Unsupported($"ldtoken of {member.Name} (typeof and reflection)", "reflection is not available in compiled code");
                    stack.Add(new StackItem(default, Field: field));
                    return;
                }
            case "sizeof":
                // C# masks shifts of nint by (sizeof(nint) * 8 - 1) with this opcode, and sizes a stackalloc of structs with it.
                Push(ConstI32(ValueToken("sizeof").Size));
                return;
        }
        if (name.StartsWith("conv.", StringComparison.Ordinal))
        {
            Convert(name);
            return;
        }
        throw Unsupported(DescribeUnsupported(name), "outside the compiled subset of C#");
    }

    static string DescribeUnsupported(string opcode) => opcode switch
    {
        "unbox" => "unbox (a reference into a boxed value)",
        "stsfld" or "ldsflda" => $"{opcode} (static mutable fields)",
        "ldvirtftn" => "ldvirtftn (delegates of virtual methods)",
        "isinst" => "isinst (type tests of objects)",
        "localloc" => "localloc (stackalloc)",
        "ldind.ref" or "stind.ref" => $"{opcode} (references to object references)",
        _ => opcode,
    };

    IrType ScalarToken(string opcode)
    {
        Type type = ResolveType(instruction.Token);
        return types.Map(type) is { IsScalar: true } mapped
            ? mapped
            : throw Error(CompilationErrorKind.UnsupportedType, $"{opcode} of {type.Name}", "only numeric scalars are supported here");
    }

    /// <summary>The element type of an array opcode's token: a number, a struct, a jit class or an array (of a jagged array).</summary>
    IrType ElementToken(string opcode)
    {
        Type type = ResolveType(instruction.Token);
        return types.Map(type) is { } mapped && (mapped.IsScalar || mapped.Kind is IrTypeKind.Instance or IrTypeKind.Aggregate || mapped is { Kind: IrTypeKind.Array, IsString: false })
            ? mapped
            : throw Error(CompilationErrorKind.UnsupportedType, $"{opcode} of {type.Name}", types.WhyNot(type) ?? "array elements are numbers, structs, jit class instances or arrays of these");
    }

    Type ResolveType(int token) => method.Module.ResolveType(token, TypeArguments, MethodArguments);

    Type[]? TypeArguments => method.DeclaringType?.GetGenericArguments();

    /// <summary>Generic arguments of the method (constructors have none).</summary>
    Type[] MethodArguments => method is MethodInfo { IsGenericMethod: true } m ? m.GetGenericArguments() : Type.EmptyTypes;

    // ---- slots ----------------------------------------------------------------------------

    void CheckSlot(int slot)
    {
        if (slot < 0 || slot >= function.Slots.Count)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} names a missing argument or local");
        if (unusableLocals.TryGetValue(slot, out Func<CompilationException>? unusable))
            throw unusable();
    }

    void LoadSlot(int slot)
    {
        if (LoadCaught(slot))
            return;
        CheckSlot(slot);
        if (function.Slots[slot] == IrType.Void)
            throw Unsupported("reading a delegate variable before a function is stored in it", "store a static method or a lambda into it first");
        if (compoundSlots.ContainsKey(slot))
            throw Unsupported("copying a Prange range or enumerator", "write foreach (int i in Prange.Range(n))");
        Push(Emit(Opcode.LoadSlot, function.Slots[slot].StackType, [], slot: slot));
    }

    void StoreSlot(int slot)
    {
        if (StoreCaught(slot) || StoreMessageHandler(slot))
            return;
        CheckSlot(slot);
        if (functionSlots.Contains(slot) && stack.Count > 0 && !stack[^1].IsPseudo)
            TypeFunctionSlot(slot, stack[^1].Value);
        if (stack.Count > 0 && stack[^1].Compound is { } compound)
        {
            StoreCompound(slot, compound);
            PopItem();
            return;
        }
        ValueId value = Pop();
        RefuseArrayCovariance(value, function.Slots[slot]);
        Emit(Opcode.StoreSlot, IrType.Void, [value], slot: slot);
    }

    void SlotAddress(int slot)
    {
        CheckSlot(slot);
        IrType type = function.Slots[slot];
        if (type.Kind == IrTypeKind.Instance)
        {
            stack.Add(new StackItem(default, InstanceSlot: slot)); // only a constrained. call takes it: it reads the variable
            return;
        }
        if (type is { Kind: IrTypeKind.Array, Rank: 1, IsString: false })
        {
            stack.Add(new StackItem(default, ArraySlot: slot)); // only Array.Resize takes it: it reads and assigns the variable
            return;
        }
        if (!type.IsScalar && type.Kind != IrTypeKind.Aggregate)
            throw Unsupported($"taking the address of a {type} variable", "only numeric and struct variables can be passed by ref");
        Push(Emit(Opcode.SlotAddress, types.ByRefTo(type), [], slot: slot));
    }

    /// <summary><c>ldsflda</c> of a data blob (what C# points a <c>ReadOnlySpan&lt;byte&gt;</c> at); any other static field's address is refused.</summary>
    void StaticFieldAddress()
    {
        FieldInfo field = method.Module.ResolveField(instruction.Token, TypeArguments, MethodArguments)!;
        if (!field.Attributes.HasFlag(FieldAttributes.HasFieldRVA))
            throw Unsupported($"ldsflda {field.DeclaringType?.Name}.{field.Name} (static mutable fields)", "compiled code shares no mutable state with .NET through static fields: pass an array");
        stack.Add(new StackItem(default, Field: field));
    }

    void LoadStaticField()
    {
        FieldInfo field = method.Module.ResolveField(instruction.Token, TypeArguments, MethodArguments)!;
        if (LoadCachedFunction(field))
            return;
        IrType? type = types.Map(field.FieldType);
        if (field.IsInitOnly && type is { IsString: true })
        {
            // string.Empty, or a static readonly string: its value now, as a literal (.NET's own object is not kept).
            Push(field.GetValue(null) is string text ? StringLiteral(text) : TypedNull(type));
            return;
        }
        if (field.IsInitOnly && type is { Kind: IrTypeKind.Aggregate })
        {
            LoadStructConstant(field, type);
            return;
        }
        if (field.IsInitOnly && type is { Kind: IrTypeKind.Array, Rank: 1, IsString: false, Element: { } element } && (element.IsScalar || element.Kind == IrTypeKind.Aggregate && !element.HoldsCounted))
        {
            // The array itself (its reference cannot change once the class is initialised, which reading it now does).
            Push(field.GetValue(null) is null ? TypedNull(type) : Emit(Opcode.Intrinsic, type, [], target: element, field: field, intrinsic: IntrinsicKind.StaticArray));
            return;
        }
        if (!field.IsInitOnly || type is not { IsScalar: true })
            throw Unsupported($"reading static field {field.DeclaringType?.Name}.{field.Name}",
                "static mutable fields are not supported: no mutable state is shared between .NET and compiled code through statics (static readonly numbers, structs "
                + "and one-dimensional arrays of numbers and structs of them are: the array is .NET's own, pinned); pass what the code changes as a parameter");
        Push(Constant(type, field.GetValue(null)!));
    }

    /// <summary>A null of <paramref name="type"/> (through a slot: ldnull's is untyped), for its uses to raise as .NET's do.</summary>
    ValueId TypedNull(IrType type)
    {
        int slot = TemporarySlot(type);
        Emit(Opcode.StoreSlot, IrType.Void, [Emit(Opcode.ConstNull, IrType.Null, [])], slot: slot);
        return Emit(Opcode.LoadSlot, type, [], slot: slot);
    }

    void Return()
    {
        if (function.ReturnType == IrType.Void)
        {
            Emit(Opcode.Return, IrType.Void, []);
        }
        else
        {
            ValueId value = Pop();
            RefuseArrayCovariance(value, function.ReturnType);
            Emit(Opcode.Return, IrType.Void, [value]);
        }
        if (stack.Count != 0)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", "the stack is not empty at ret");
    }
}
