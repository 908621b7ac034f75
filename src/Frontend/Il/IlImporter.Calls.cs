using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>Calls (compiled methods, System.Math/MathF, array members), object creation, and throw.</summary>
internal sealed partial class IlImporter
{
    internal static readonly Dictionary<string, MathFunction> MathNames = Enum.GetValues<MathFunction>()
        .ToDictionary(f => f.ToString(), f => f);

    /// <summary>The method the instruction names; a collection type's member is its substitute's (<see cref="Collections.CollectionTypes"/>).</summary>
    MethodBase ResolveMethod()
    {
        MethodBase named = method.Module.ResolveMethod(instruction.Token, TypeArguments, MethodArguments)
            ?? throw Error(CompilationErrorKind.InvalidIl, "malformed IL", "unresolvable method token");
        return Collections.CollectionTypes.Redirect(named, (construct, detail) => Error(CompilationErrorKind.UnsupportedCall, construct, detail)) ?? named;
    }

    static string Describe(MethodBase callee) => $"{callee.DeclaringType?.Name}.{callee.Name}";

    void Call()
    {
        MethodBase callee = ResolveMethod();
        if (constrainedTo is { } type)
            ConstrainedCall(callee, type);
        else if (!TypeTokenCall(callee))
            CallMethod(callee);
    }

    void CallMethod(MethodBase callee)
    {
        if (IsMessageHandler(callee.DeclaringType!))
        {
            MessageMember(callee);
            return;
        }
        if (IsValueToString(callee))
        {
            ValueToString(callee);
            return;
        }
        if (IsSpanMember(callee))
        {
            SpanMember(callee);
            return;
        }
        if (InlineArrays.HelperOf(callee) is { } inlineArray)
        {
            InlineArrayCall((MethodInfo)callee, inlineArray);
            return;
        }
        if (IsMemoryMember(callee))
        {
            MemoryMember(callee);
            return;
        }
        if (IsSimdMember(callee))
        {
            SimdMember(callee);
            return;
        }
        if (IsHoldsReferences(callee))
        {
            HoldsReferences(callee);
            return;
        }
        if (IsPairDeconstruct(callee))
        {
            PairDeconstruct(callee);
            return;
        }
        if (LibrarySubstitutes.For(callee) is { } substitute)
        {
            CallSubstitute(substitute);
            return;
        }
        if (callee.DeclaringType == typeof(Enum) && callee.Name == nameof(Enum.HasFlag))
        {
            HasFlag();
            return;
        }
        if (IsDefaultComparer(callee))
        {
            stack.Add(new StackItem(default, Comparer: callee.DeclaringType!.GetGenericArguments()[0]));
            return;
        }
        if (callee.DeclaringType is { IsArray: true } || callee.DeclaringType == typeof(Array))
        {
            ArrayMember(callee);
            return;
        }
        if (callee.DeclaringType == typeof(Buffer))
        {
            BufferMember(callee);
            return;
        }
        if (IsLibraryIntrinsic(callee))
        {
            LibraryIntrinsic((MethodInfo)callee);
            return;
        }
        if ((callee.DeclaringType == typeof(Math) || callee.DeclaringType == typeof(MathF)) && IsBuiltInMath((MethodInfo)callee))
        {
            MathCall((MethodInfo)callee);
            return;
        }
        if (callee.DeclaringType == typeof(System.Runtime.CompilerServices.RuntimeHelpers) && callee.Name == "InitializeArray")
        {
            InitializeArray();
            return;
        }
        if (callee.DeclaringType == typeof(System.Runtime.CompilerServices.RuntimeHelpers) && callee.Name == "CreateSpan")
        {
            CreateSpan((MethodInfo)callee);
            return;
        }
        if (IsParallelType(callee.DeclaringType))
        {
            ParallelMember(callee);
            return;
        }
        if (IsIntrinsicType(callee.DeclaringType))
        {
            IntrinsicCall(callee);
            return;
        }
        if (IsInterlocked(callee))
        {
            InterlockedCall((MethodInfo)callee);
            return;
        }
        if (IsFrameworkAssembly(callee.DeclaringType?.Assembly) && CallsItself(callee))
            throw Error(CompilationErrorKind.UnsupportedCall, $"calling {Describe(callee)}",
                "it is a JIT intrinsic whose IL only calls itself (.NET's JIT replaces it), and compiled code has no implementation of it");
        if (callee is MethodInfo factory && ExceptionConstructor.IsFactory(factory) && NextIs("throw"))
        {
            ExceptionFactory(factory);
            return;
        }
        if (IsResourceString(callee))
        {
            // .NET's exception messages (SR.Arithmetic_NaN): the text, read now, as a constant string.
            stack.Add(new StackItem(default, String: (string)callee.Invoke(null, null)!));
            return;
        }
        if (callee.DeclaringType == typeof(string))
        {
            StringMember(callee);
            return;
        }
        if (callee is ConstructorInfo && callee.DeclaringType == typeof(object))
        {
            PopItem(); // a jit class constructor calling object's: nothing to do
            return;
        }
        if (!callee.IsStatic && callee.DeclaringType is { } owner && (types.IsJitClass(owner) || IsStruct(owner) || IsNumber(owner)))
        {
            if (IsFrameworkAssembly(owner.Assembly) && !CompilesFromIl(callee))
                throw Error(CompilationErrorKind.UnsupportedCall, $"calling {Describe(callee)}", LibraryRule);
            CallMember(callee, nullCheck: false); // a struct's member takes the struct's address, as a jit class's takes the instance
            return;
        }
        if (callee is not MethodInfo target || !callee.IsStatic)
            throw Error(CompilationErrorKind.UnsupportedCall, $"calling instance member {Describe(callee)}",
                "only static methods, members of [JitClass] classes and structs, and System.Math/MathF can be called from compiled code");
        if (IsFrameworkAssembly(target.DeclaringType?.Assembly) && !CompilesFromIl(target))
            throw Error(CompilationErrorKind.UnsupportedCall, $"calling {Describe(callee)}", LibraryRule);
        ValueId[] arguments = PopArguments(target.GetParameters());
        IrType result = ResultOf(target);
        ValueId value = Emit(Opcode.Call, result, arguments, calleeIndex: ResolveCallee(target, Specialisation(target, arguments)));
        if (result != IrType.Void)
            Push(value);
    }

    /// <summary>
    /// What a call leaves on the stack: the callee's result, or nothing. A result type compiled code has
    /// not (an exception a helper returns, a delegate) is refused here, at the call, not later as a
    /// stack underflow where the result is used.
    /// </summary>
    IrType ResultOf(MethodBase callee)
    {
        Type returned = callee is MethodInfo info ? info.ReturnType : typeof(void);
        if (returned == typeof(void))
            return IrType.Void;
        return types.Map(returned)?.StackType ?? throw Error(CompilationErrorKind.UnsupportedType, $"calling {Describe(callee)}, which returns a {returned.Name}",
            types.WhyNot(returned) ?? "compiled code calls methods that return numbers, enums, structs of them, jit class instances, arrays of these, or nothing");
    }

    /// <summary>A resource string of .NET's own (<c>SR.Arithmetic_NaN</c>): a static string property of its internal <c>System.SR</c>.</summary>
    static bool IsResourceString(MethodBase callee) =>
        callee is MethodInfo { IsStatic: true, IsSpecialName: true } getter && getter.ReturnType == typeof(string) && getter.GetParameters().Length == 0
        && getter.Name.StartsWith("get_", StringComparison.Ordinal) && callee.DeclaringType?.FullName == "System.SR" && IsFrameworkAssembly(callee.DeclaringType.Assembly);

    /// <summary>A struct compiled code can hold (an aggregate).</summary>
    bool IsStruct(Type type) => type.IsValueType && types.Map(type) is { Kind: IrTypeKind.Aggregate };

    /// <summary>A primitive number type (int, double, …, not an enum), whose instance members take the number's address.</summary>
    static bool IsNumber(Type type) => TypeMapper.Scalar(type) is { } scalar && scalar != IrType.Void;

    /// <summary>
    /// The rule for .NET's own methods: the members of the library's structs that compiled code can
    /// hold (<c>ValueTuple</c>, <c>Nullable&lt;T&gt;</c>, <c>Complex</c>, …) and the static methods of the numeric
    /// types (<c>double.Hypot</c>, <c>int.Clamp</c>) compile from their IL, as a user's struct does; a body that leaves the subset is refused at the user's call (see FrontendCompiler).
    /// Other library methods are not compiled; System.Math/MathF members are built in, or compile from their IL.
    /// </summary>
    bool CompilesFromIl(MethodBase callee) => callee.DeclaringType is { } owner && callee.GetMethodBody() is not null
        && (IsStruct(owner) || IsNumber(owner) // double.Hypot, int.Max, int.CompareTo, generic math's implementations, …
            || callee.IsStatic && owner.IsInterface && owner.Namespace == "System.Numerics" // generic math's default implementations
            || owner.FullName == "System.ThrowHelper" // the raises the BCL's checks call
            || owner == typeof(Math) || owner == typeof(MathF) || owner == typeof(System.Numerics.BitOperations)); // the members not built in

    const string LibraryRule = "library methods (LINQ, collections, …) are not compiled: only the numeric types' own members (generic math) and the members of .NET's structs of numbers "
        + "(ValueTuple, Nullable<T>, Complex, …) compile from their IL, and System.Math/MathF are built in or compile from theirs";

    /// <summary>.NET's own assemblies: their methods are not compiled (they use what compiled code cannot).</summary>
    internal static bool IsFrameworkAssembly(Assembly? assembly)
    {
        string name = assembly?.GetName().Name ?? "";
        return assembly == typeof(object).Assembly || name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib";
    }

    /// <summary>A call to a <see cref="LibrarySubstitutes"/> method in a library member's place: the same arguments, <c>this</c> first.</summary>
    void CallSubstitute(MethodInfo substitute)
    {
        ParameterInfo[] parameters = substitute.GetParameters();
        var arguments = new ValueId[parameters.Length];
        for (int a = parameters.Length - 1; a >= 0; a--)
            arguments[a] = Pop();
        IrType result = ResultOf(substitute);
        ValueId value = Emit(Opcode.Call, result, arguments, calleeIndex: ResolveCallee(substitute));
        if (result != IrType.Void)
            Push(value);
    }

    /// <summary>
    /// <c>e.HasFlag(flag)</c>: C# boxes both enums for the call (Box lets a box reach it); the answer is
    /// <c>(e &amp; flag) == flag</c>, which is what .NET's JIT makes of it too.
    /// </summary>
    void HasFlag()
    {
        StackItem flag = PopItem(), value = PopItem();
        if (flag.Boxed is not { IsEnum: true } flagType || value.Boxed != flagType)
            throw Unsupported("Enum.HasFlag of values of two types or not boxed from an enum", "call HasFlag on an enum value with a flag of the same enum type");
        ValueId masked = Emit(Opcode.And, TypeOf(value.Value), [value.Value, flag.Value]);
        Push(Emit(Opcode.Compare, IrType.I32, [masked, flag.Value], condition: Condition.Eq));
    }

    static bool IsDefaultComparer(MethodBase callee) =>
        callee.Name == "get_Default" && callee.DeclaringType is { IsGenericType: true } owner
        && owner.GetGenericTypeDefinition() == typeof(EqualityComparer<>);

    /// <summary>
    /// <c>EqualityComparer&lt;T&gt;.Default.Equals(a, b)</c> (what record structs' equality calls per field):
    /// for numbers and enums their equality as <c>T.Equals</c> defines it (two NaNs are equal), for a
    /// struct that implements <c>IEquatable&lt;T&gt;</c> its <c>Equals(T)</c>.
    /// </summary>
    void DefaultEquals(Type compared)
    {
        ValueId right = Pop(), left = Pop();
        PopItem(); // the comparer
        IrType? type = types.Map(compared);
        if (type is { IsScalar: true })
        {
            ValueId equal = Emit(Opcode.Compare, IrType.I32, [left, right], condition: Condition.Eq);
            if (type.IsFloat)
            {
                // double.Equals: NaN equals NaN (Ne is unordered: true for a NaN against itself).
                ValueId leftNaN = Emit(Opcode.Compare, IrType.I32, [left, left], condition: Condition.Ne);
                ValueId rightNaN = Emit(Opcode.Compare, IrType.I32, [right, right], condition: Condition.Ne);
                equal = Emit(Opcode.Or, IrType.I32, [equal, Emit(Opcode.And, IrType.I32, [leftNaN, rightNaN])]);
            }
            Push(equal);
            return;
        }
        if (type is { Kind: IrTypeKind.Instance })
        {
            RefuseOwnEquality(compared, "Equals");
            Push(Emit(Opcode.Compare, IrType.I32, [left, right], condition: Condition.Eq));
            return;
        }
        MethodInfo? equals = type is { Kind: IrTypeKind.Aggregate } && typeof(IEquatable<>).MakeGenericType(compared).IsAssignableFrom(compared)
            ? compared.GetMethod(nameof(Equals), [compared]) : null;
        if (equals is null)
            throw Unsupported($"EqualityComparer<{compared.Name}>.Default.Equals", $"compiled code compares numbers, enums and structs that implement IEquatable<{compared.Name}>");
        int slot = TemporarySlot(type!);
        Emit(Opcode.StoreSlot, IrType.Void, [left], slot: slot);
        ValueId address = Emit(Opcode.SlotAddress, types.ByRefTo(type!), [], slot: slot);
        Push(Emit(Opcode.Call, IrType.I32, [address, right], calleeIndex: ResolveCallee(equals)));
    }

    /// <summary>
    /// <c>EqualityComparer&lt;T&gt;.Default.GetHashCode(x)</c> (what a dictionary or a record struct's hash calls): the hash
    /// <c>T</c> itself defines, its <c>GetHashCode</c> called on the value's address as a constrained call would (an
    /// enum hashes as its underlying number, as <see cref="Enum.GetHashCode"/> does).
    /// </summary>
    void DefaultHashCode(Type hashed)
    {
        ValueId value = Pop();
        PopItem(); // the comparer
        Type owner = hashed.IsEnum ? Enum.GetUnderlyingType(hashed) : hashed;
        IrType type = types.Map(owner) ?? throw Unsupported($"EqualityComparer<{hashed.Name}>.Default.GetHashCode", "compiled code hashes numbers, enums, structs and jit class instances");
        if (type.Kind == IrTypeKind.Instance)
        {
            RefuseOwnEquality(hashed, "GetHashCode");
            Push(IdentityHash(value));
            return;
        }
        if (!owner.IsValueType)
            throw Unsupported($"EqualityComparer<{hashed.Name}>.Default.GetHashCode", "compiled code hashes numbers, enums, structs and jit class instances");
        int slot = TemporarySlot(type);
        Emit(Opcode.StoreSlot, IrType.Void, [value], slot: slot);
        stack.Add(new StackItem(Emit(Opcode.SlotAddress, types.ByRefTo(type), [], slot: slot)));
        ConstrainedCall(typeof(object).GetMethod(nameof(GetHashCode))!, owner);
    }

    /// <summary>
    /// Refuses <c>EqualityComparer&lt;T&gt;.Default.<paramref name="member"/></c> of a jit class that defines <c>Equals</c> or
    /// <c>GetHashCode</c>: compiled code compares and hashes instances by identity only (.NET's default for a class
    /// without an equality of its own).
    /// </summary>
    void RefuseOwnEquality(Type type, string member)
    {
        if (type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.Name is nameof(Equals) or nameof(GetHashCode) && m.DeclaringType != typeof(object)))
            throw Unsupported($"EqualityComparer<{type.Name}>.Default.{member}", $"{type.Name} defines Equals or GetHashCode: compiled code compares and hashes jit class instances by identity only");
    }

    /// <summary>
    /// A jit class instance's hash by identity: the address mixed to 32 bits (a live instance keeps its address; null
    /// hashes to 0, as in .NET). The values are not .NET's (its identity hashes are arbitrary too).
    /// </summary>
    ValueId IdentityHash(ValueId instance)
    {
        ValueId address = Emit(Opcode.Convert, IrType.I64, [instance], target: IrType.I64, sourceUnsigned: true);
        ValueId mixed = Emit(Opcode.Xor, IrType.I64, [Emit(Opcode.ShrUn, IrType.I64, [address, Emit(Opcode.Const, IrType.I64, [], constant: 4L)]),
            Emit(Opcode.ShrUn, IrType.I64, [address, Emit(Opcode.Const, IrType.I64, [], constant: 36L)])]);
        return Emit(Opcode.Convert, IrType.I32, [mixed], target: IrType.I32);
    }

    /// <summary>An instance method, property accessor or constructor of a jit class: <c>this</c> first.</summary>
    void CallMember(MethodBase callee, bool nullCheck)
    {
        if (CountedOutCompanion(callee) is { } companion)
        {
            CallWithCountedOut(callee, companion, nullCheck);
            return;
        }
        ValueId[] parameters = PopArguments(callee.GetParameters());
        ValueId[] arguments = [Pop(), .. parameters];
        if (nullCheck)
            Emit(Opcode.CheckNull, IrType.Void, [arguments[0]]);
        IrType result = ResultOf(callee);
        ValueId value = Emit(Opcode.Call, result, arguments, calleeIndex: ResolveCallee(callee, Specialisation(callee, arguments)));
        if (result != IrType.Void)
            Push(value);
    }

    void CallVirtual()
    {
        MethodBase callee = ResolveMethod();
        if (constrainedTo is { } type)
        {
            ConstrainedCall(callee, type);
            return;
        }
        if (stack.Count >= 3 && stack[^3].Comparer is { } compared && callee.Name == "Equals" && callee.GetParameters().Length == 2)
        {
            DefaultEquals(compared);
            return;
        }
        if (stack.Count >= 2 && stack[^2].Comparer is { } hashed && callee.Name == "GetHashCode" && callee.GetParameters().Length == 1)
        {
            DefaultHashCode(hashed);
            return;
        }
        if (callee.DeclaringType is { IsArray: true } || callee.DeclaringType == typeof(Array))
        {
            ArrayMember(callee);
            return;
        }
        if (CaughtMember(callee))
            return;
        if (callee.DeclaringType == typeof(string))
        {
            StringMember(callee);
            return;
        }
        if (callee.Name == "Invoke" && callee.DeclaringType is { } delegateType && IsFunctionType(delegateType))
        {
            CallFunction(pointer: false);
            return;
        }
        if (!callee.IsVirtual && callee.DeclaringType is { } owner && types.IsJitClass(owner))
        {
            CallMember(callee, nullCheck: true); // C# calls class members with callvirt for its null check
            return;
        }
        if (CallVirtualMember(callee))
            return;
        throw Error(CompilationErrorKind.UnsupportedCall, $"virtual call to {Describe(callee)}",
            "virtual and interface calls (including ToString, Equals, GetHashCode, IEnumerable and LINQ) are not supported");
    }

    /// <summary>
    /// Whether a <see cref="Math"/>/<see cref="MathF"/> member is one of the compiler's own functions (the rest, <c>Round</c>
    /// with digits or a <see cref="MidpointRounding"/>, <c>Log</c> with a base, <c>ScaleB</c>, <c>BigMul</c>, …, compile from their IL).
    /// </summary>
    bool IsBuiltInMath(MethodInfo callee)
    {
        ParameterInfo[] parameters = callee.GetParameters();
        bool scalarOnly = types.Map(callee.ReturnType) is { IsScalar: true } && parameters.All(p => types.Map(p.ParameterType) is { IsScalar: true } && !p.ParameterType.IsEnum);
        if (!MathNames.TryGetValue(callee.Name, out MathFunction function) || !scalarOnly)
            return false;
        int expectedArity = function switch
        {
            MathFunction.Atan2 or MathFunction.Pow or MathFunction.Min or MathFunction.Max or MathFunction.CopySign => 2,
            MathFunction.Clamp or MathFunction.FusedMultiplyAdd => 3,
            _ => 1,
        };
        return parameters.Length == expectedArity;
    }

    void MathCall(MethodInfo callee)
    {
        ParameterInfo[] parameters = callee.GetParameters();
        IrType result = types.Map(callee.ReturnType)!;
        MathFunction function = MathNames[callee.Name];
        var arguments = new ValueId[parameters.Length];
        for (int a = parameters.Length - 1; a >= 0; a--)
            arguments[a] = Pop();
        Push(Emit(Opcode.MathCall, result.StackType, arguments, math: function, target: types.Map(parameters[0].ParameterType)));
    }

    void NewObject()
    {
        MethodBase ctor = ResolveMethod();
        Type type = ctor.DeclaringType!;
        if (IsMessageHandler(type))
        {
            NewMessageHandler(ctor);
            return;
        }
        if (type.IsArray)
        {
            NewMultiDimensionalArray(type, ctor.GetParameters().Length);
            return;
        }
        if (types.IsJitClass(type))
        {
            // new C(args): a zeroed instance, then the constructor on it.
            ParameterInfo[] parameters = ctor.GetParameters();
            var arguments = new ValueId[parameters.Length + 1];
            for (int a = parameters.Length; a >= 1; a--)
                arguments[a] = Pop();
            ValueId instance = Emit(Opcode.NewInstance, types.InstanceOf(type), []);
            arguments[0] = instance;
            Emit(Opcode.Call, IrType.Void, arguments, calleeIndex: ResolveCallee(ctor));
            Push(instance);
            return;
        }
        if (typeof(Exception).IsAssignableFrom(type))
        {
            NewException(ctor);
            return;
        }
        if (IsFunctionType(type))
        {
            NewDelegate(type);
            return;
        }
        if (SpanTypes.IsSpan(type))
        {
            NewSpan((ConstructorInfo)ctor);
            return;
        }
        if (SimdTypes.IsVector(type))
        {
            NewVector((ConstructorInfo)ctor);
            return;
        }
        if (type.IsValueType)
        {
            IrType aggregate = types.Map(type) is { Kind: IrTypeKind.Aggregate } mapped
                ? mapped
                : throw Error(CompilationErrorKind.UnsupportedType, $"new {type.Name}", types.WhyNot(type) ?? $"struct {type.Name} cannot be represented in compiled code");
            if (IsFrameworkAssembly(type.Assembly) && !CompilesFromIl(ctor))
                throw Error(CompilationErrorKind.UnsupportedCall, $"new {type.Name}", LibraryRule);
            NewStruct(ctor, aggregate);
            return;
        }
        throw Unsupported($"new {type.Name} (object creation)", "only [JitClass] classes and structs can be created in compiled code (not other classes or strings); use a jit class, a struct or arrays");
    }

    /// <summary>
    /// <c>new X(…)</c> of an exception: no argument or one constant string of a listed type keeps
    /// the short form; any other public constructor becomes the general form, whose arguments are
    /// constant strings, null, or runtime scalars (boxed ones included) carried by the Raise.
    /// </summary>
    void NewException(MethodBase ctor)
    {
        Type type = ctor.DeclaringType!;
        ParameterInfo[] parameters = ctor.GetParameters();
        int index = RaiseInfo.IndexOf(type);
        if (index >= 0 && parameters.Length == 0)
        {
            stack.Add(new StackItem(default, Exception: new RaiseInfo(index, null)));
            return;
        }
        if (index >= 0 && parameters.Length == 1 && parameters[0].ParameterType == typeof(string) && stack.Count > 0 && stack[^1].String is { } text)
        {
            PopItem();
            stack.Add(new StackItem(default, Exception: new RaiseInfo(index, text)));
            return;
        }
        string shape = $"new {type.Name}({string.Join(", ", parameters.Select(p => p.ParameterType.Name))})";
        if (!ctor.IsPublic || !type.IsPublic && !type.IsNestedPublic)
            throw Unsupported(shape, "compiled code creates exceptions through public constructors of public exception types");
        (ExceptionArgument[] arguments, ValueId[] values) = RaiseArguments(parameters, shape);
        stack.Add(new StackItem(default, Exception: RaiseInfo.Constructed(new ExceptionConstructor((ConstructorInfo)ctor, arguments)), Operands: values));
    }

    /// <summary>The arguments of an exception's constructor or factory, popped: constants kept, runtime values numbered in argument order.</summary>
    (ExceptionArgument[] Arguments, ValueId[] Values) RaiseArguments(ParameterInfo[] parameters, string shape)
    {
        var arguments = new ExceptionArgument[parameters.Length];
        var values = new List<ValueId>();
        for (int a = parameters.Length - 1; a >= 0; a--)
            arguments[a] = ExceptionArgumentFor(parameters[a], PopItem(), shape, values);
        values.Reverse();
        // Slots were numbered from the last argument: renumber them in argument order.
        int next = 0;
        for (int a = 0; a < arguments.Length; a++)
        {
            if (arguments[a].IsRuntime)
                arguments[a] = arguments[a] with { Slot = next++ };
            else if (arguments[a].Holes is { } holes)
                arguments[a] = arguments[a] with { Holes = [.. holes.Select(h => h with { Slot = next++ })] };
        }
        if (values.Count > ExceptionConstructor.MaxRuntimeValues)
            throw Unsupported(shape, $"an exception takes at most {ExceptionConstructor.MaxRuntimeValues} runtime values");
        return (arguments, [.. values]);
    }

    /// <summary>
    /// <c>throw F(…)</c> of a static method that makes the exception (<see cref="ExceptionConstructor.IsFactory"/>): the
    /// method runs on the host when compiled code raises, with the same arguments (constant strings, null, numbers),
    /// so a message it formats from run-time values is .NET's own.
    /// </summary>
    void ExceptionFactory(MethodInfo factory)
    {
        ParameterInfo[] parameters = factory.GetParameters();
        string shape = $"throw {factory.DeclaringType?.Name}.{factory.Name}({string.Join(", ", parameters.Select(p => p.ParameterType.Name))})";
        (ExceptionArgument[] arguments, ValueId[] values) = RaiseArguments(parameters, shape);
        stack.Add(new StackItem(default, Exception: RaiseInfo.Constructed(new ExceptionConstructor(factory, arguments)), Operands: values));
    }

    /// <summary>One argument of an exception constructor: a constant string or null, or a runtime scalar (added to <paramref name="values"/>).</summary>
    ExceptionArgument ExceptionArgumentFor(ParameterInfo parameter, StackItem item, string shape, List<ValueId> values)
    {
        Type wanted = parameter.ParameterType;
        string reason = $"argument '{parameter.Name}' of {shape}";
        if (item.String is { } text && wanted.IsAssignableFrom(typeof(string)))
            return new ExceptionArgument(text);
        if (item.Message is { } parts && wanted.IsAssignableFrom(typeof(string)))
            return MessageArgument(parts, values);
        if (!item.IsPseudo && item.Boxed is null && item.HeldAs is null && TypeOf(item.Value) == IrType.Null && !wanted.IsValueType)
            return new ExceptionArgument(null);
        Type? valueType = item.Boxed is { } boxed && wanted.IsAssignableFrom(boxed) ? boxed
            : !item.IsPseudo && item.Boxed is null && item.HeldAs is null && wanted.IsValueType ? wanted
            : !item.IsPseudo && item.Boxed is null && TypeOf(item.Value).IsString && wanted.IsAssignableFrom(typeof(string)) ? typeof(string)
            : null;
        if (valueType is null || !ExceptionConstructor.IsRuntimeType(valueType) || !TypeOf(item.Value).IsScalar && !TypeOf(item.Value).IsString)
            throw Unsupported(reason, "exception arguments are strings, null, or numbers, bools and chars (e.g. new ArgumentOutOfRangeException(nameof(i), i, \"negative\"))");
        values.Add(item.Value);
        return ExceptionArgument.Runtime(values.Count - 1, valueType);
    }

    void Throw()
    {
        StackItem item = PopItem();
        if (item.Caught is not null)
        {
            RethrowCaught(); // throw e; of the exception a catch block caught
            return;
        }
        if (item.Exception is not { } raised)
            throw Unsupported("throwing an exception stored in a variable", "write throw new X(...) directly");
        Emit(Opcode.Raise, IrType.Void, item.Operands ?? [], exception: raised);
    }
}
