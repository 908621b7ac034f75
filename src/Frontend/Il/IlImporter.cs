using System.Reflection;
using System.Reflection.Emit;
using Targets.Frontend.Diagnostics;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Imports one method's IL into an <see cref="IrFunction"/>. Guarantees: the evaluation stack
/// becomes SSA values, with block parameters where the stack is non-empty at a join; arguments
/// and locals become slots (memory the LLVM lowering promotes to registers); every C# check
/// (division, overflow, bounds, null) is an explicit operation that may raise; anything outside
/// the supported subset is a <see cref="CompilationException"/> naming the construct and line.
/// Blocks unreachable from the entry are not imported.
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>
    /// The module index of a method called at a site, compiled for the function values its delegate
    /// parameters receive (by IL parameter position, null elsewhere; null when it has none); with
    /// <paramref name="dispatchOver"/>, of the dispatch of virtual method <paramref name="callee"/> over
    /// the classes a receiver of that type may be (<see cref="VirtualDispatch"/>).
    /// </summary>
    internal delegate int Resolver(MethodBase callee, IrType?[]? functions, CallSite site, Type? dispatchOver = null);

    /// <summary>Where a method is called: the caller (<c>Type.Method</c>), the IL offset and the source line (for errors about the callee).</summary>
    internal readonly record struct CallSite(string Caller, int IlOffset, SourceLocation Location);

    /// <summary>
    /// A stack entry: a value, or what compiled code has no value for (a constant string, an
    /// exception being built, a field token, <c>EqualityComparer&lt;T&gt;.Default</c> as <see cref="Comparer"/>). <see cref="Boxed"/>: the value was boxed as that type
    /// (only a store into an object field takes it); <see cref="HeldAs"/>: the value was read from
    /// an object field of that type (unboxing or casting to that type gives it back); <see cref="Operands"/>:
    /// the runtime arguments of an exception being built; <see cref="TypeToken"/>: <c>typeof(T)</c>, which only a
    /// comparison with another takes; <see cref="Known"/>: the value is that constant at compile time (a
    /// branch on it imports only the side taken).
    /// </summary>
    readonly record struct StackItem(ValueId Value, string? String = null, RaiseInfo? Exception = null, FieldInfo? Field = null,
        Type? Boxed = null, Type? HeldAs = null, Compound? Compound = null, ValueId[]? Operands = null, Type? Comparer = null,
        Type? TypeToken = null, bool? Known = null, Type? Caught = null, bool CaughtTested = false, bool CaughtType = false, int? InstanceSlot = null,
        bool Stackalloc = false, int? MessageSlot = null, List<MessagePart>? Message = null, int? ArraySlot = null)
    {
        public bool IsPseudo => String is not null || Exception is not null || Field is not null || Compound is not null || Comparer is not null || TypeToken is not null
            || Caught is not null || CaughtType || InstanceSlot is not null || Stackalloc || MessageSlot is not null || Message is not null || ArraySlot is not null;
    }

    readonly MethodBase method;
    readonly TypeContext types;
    readonly IrFunction function;
    readonly Resolver resolveCallee;
    readonly SourceLocator locator;
    readonly List<IlInstruction> code;
    readonly Dictionary<int, int> indexOfOffset = [];
    readonly HashSet<int> leaders = [];
    /// <summary>Blocks by IL offset and import context (see IlImporter.Exceptions: a finally body has a copy per way out).</summary>
    readonly Dictionary<(int Offset, int Context), IrBlock> blockAt = [];
    readonly Queue<(int Offset, IrBlock Block, int Context)> pending = new();
    /// <summary>The number of IR parameters (kernel indices take one per dimension): locals' slots follow them.</summary>
    readonly int argumentCount;
    /// <summary>For each IL argument, its first slot.</summary>
    readonly int[] argumentSlots;
    /// <summary>Library code's locals of types compiled code has not, with the error a use of one raises.</summary>
    readonly Dictionary<int, Func<CompilationException>> unusableLocals = [];
    readonly string methodName;

    IrBlock current = null!;
    List<StackItem> stack = [];
    IlInstruction instruction = null!;

    IlImporter(MethodBase method, TypeContext types, IrFunction function, Resolver resolveCallee, byte[] il)
    {
        this.method = method;
        this.types = types;
        this.function = function;
        this.resolveCallee = resolveCallee;
        methodName = $"{method.DeclaringType?.Name}.{method.Name}";
        locator = SourceLocator.For(method);
        code = IlDecoder.Decode(il, (offset, message) => Error(CompilationErrorKind.InvalidIl, "malformed IL", message, offset));
        argumentCount = function.ParameterTypes.Count;
        argumentSlots = ArgumentSlots(method);
    }

    /// <summary>What a compiled method takes and returns, and its body; errors for what cannot compile at all.</summary>
    static (IrType Return, List<IrType> Parameters, MethodBody Body) Signature(MethodBase method, TypeContext types, IrType?[]? functions)
    {
        string name = $"{method.DeclaringType?.Name}.{method.Name}";
        // Errors about the whole method point at its first statement.
        CompilationException Whole(CompilationErrorKind kind, string construct, string detail)
        {
            SourceLocation first = SourceLocator.For(method).Locate(0);
            return new(kind, name, construct, -1, first.File, first.Line, detail);
        }

        // async and iterator methods are stubs over a state machine: the stub has no lines, its MoveNext has the user's.
        if (method.GetCustomAttribute<System.Runtime.CompilerServices.StateMachineAttribute>() is { } machine)
        {
            MethodInfo? moveNext = machine.StateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
            SourceLocation inside = moveNext is null ? default : SourceLocator.For(moveNext).Locate(0);
            bool iterator = machine is System.Runtime.CompilerServices.IteratorStateMachineAttribute or System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute;
            throw new CompilationException(CompilationErrorKind.UnsupportedConstruct, name, iterator ? "an iterator (yield return)" : "an async method (async/await)",
                -1, inside.File, inside.Line, "compiled code runs to completion on the caller's thread: write a plain method that returns its result");
        }
        // A default interface method of an interface jit classes implement runs on their instances too.
        bool jitClassMember = method.DeclaringType is { } owner && (types.IsJitClass(owner) || owner.IsInterface && types.Map(owner) is { Kind: IrTypeKind.Instance });
        // A struct's (or a number's: int.CompareTo) instance member takes 'this' by reference, as in IL.
        IrType? structThis = !method.IsStatic && method.DeclaringType is { IsValueType: true } valueType
            && types.Map(valueType) is { } value && (value.Kind == IrTypeKind.Aggregate || value.IsScalar && !valueType.IsEnum)
            ? types.ByRefTo(value) : null;
        // A lambda that captures nothing is an instance method of the C# compiler's <>c: its receiver is its own function value.
        if (IsStaticLambda(method))
            structThis = types.FunctionOf((MethodInfo)method);
        if (!method.IsStatic && !jitClassMember && structThis is null)
            throw Whole(CompilationErrorKind.UnsupportedConstruct, "an instance method",
                method.DeclaringType is { IsValueType: true } refused
                    ? types.WhyNot(refused) ?? $"struct {refused.Name} cannot be represented in compiled code"
                    : "only static methods and members of [JitClass] classes and structs compile; make it static and pass what it needs as parameters");
        MethodBody body = method.GetMethodBody()
            ?? throw Whole(CompilationErrorKind.UnsupportedCall, "a method without IL", "extern, abstract and runtime-implemented methods have no body to compile");

        Type returnClr = method is MethodInfo info ? info.ReturnType : typeof(void);
        if (IsFunctionType(returnClr))
            throw Whole(CompilationErrorKind.UnsupportedType, $"return type {returnClr.Name}", "functions as values are specialised where they are passed: a method cannot return one; pass the function to where it is called");
        IrType returnType = types.Map(returnClr) is { } r && r.Kind != IrTypeKind.ByRef
            ? r : throw Whole(CompilationErrorKind.UnsupportedType, $"return type {returnClr.Name}",
                types.WhyNot(returnClr) ?? "return a number, an enum, a struct of them, a jit class instance, an array of these, or void");
        var parameters = new List<IrType>();
        if (!method.IsStatic)
            parameters.Add(structThis ?? types.InstanceOf(method.DeclaringType!)); // this
        foreach (ParameterInfo p in method.GetParameters())
        {
            if (IndexRank(p.ParameterType) is > 0 and int rank)
            {
                for (int d = 0; d < rank; d++)
                    parameters.Add(IndexCoordinate(p.ParameterType)); // a kernel index: one number per dimension (no LINQ: a cache hit declares its entry)
                continue;
            }
            if (IsFunctionType(p.ParameterType))
            {
                parameters.Add(functions?[p.Position] ?? throw Whole(CompilationErrorKind.UnsupportedType, $"parameter '{p.Name}' of type {p.ParameterType.Name}",
                    "a delegate or function pointer parameter is compiled for the method its caller passes: pass one from compiled code or from the host (a static method or a lambda)"));
                continue;
            }
            parameters.Add(types.Map(p.ParameterType)
                ?? throw Whole(CompilationErrorKind.UnsupportedType, $"parameter '{p.Name}' of type {p.ParameterType.Name}",
                    types.WhyNot(p.ParameterType) ?? "parameters must be numbers, enums, structs of them, jit class instances, arrays of these (T[], T[,]), or ref/out numbers and structs"));
        }
        return (returnType, parameters, body);
    }

    /// <summary>A jit class's constructor (what <see cref="IrFunction.IsConstructor"/> marks): a struct's is an instance method on its byref.</summary>
    static bool IsJitClassConstructor(MethodBase method) => method is ConstructorInfo && method.DeclaringType is { IsValueType: false };

    /// <summary>A method's signature only, for a callee compiled separately (<see cref="IrFunction.IsDeclaration"/>).</summary>
    public static IrFunction Declare(MethodBase method, string symbol, TypeContext types)
    {
        (IrType returnType, List<IrType> parameters, _) = Signature(method, types, null);
        return new IrFunction(symbol, returnType, parameters) { Method = method, IsConstructor = IsJitClassConstructor(method), IsDeclaration = true };
    }

    /// <summary>
    /// Imports <paramref name="method"/>, compiled for the function values <paramref name="functions"/> gives its
    /// delegate parameters; <paramref name="resolveCallee"/> gives the module index of a method called at a site.
    /// </summary>
    public static IrFunction Import(MethodBase method, string symbol, Resolver resolveCallee, TypeContext types, IrType?[]? functions = null)
    {
        (IrType returnType, List<IrType> parameters, MethodBody body) = Signature(method, types, functions);
        byte[] il = body.GetILAsByteArray() ?? [];

        var function = new IrFunction(symbol, returnType, parameters) { Method = method, IsConstructor = IsJitClassConstructor(method) };
        var importer = new IlImporter(method, types, function, resolveCallee, il);
        function.Slots.AddRange(parameters);
        var compoundLocals = new List<int>();
        foreach (LocalVariableInfo local in body.LocalVariables)
        {
            if (types.Map(local.LocalType) is { } slot)
            {
                function.Slots.Add(slot);
                continue;
            }
            // A catch block's variable (kept by the C# compiler even where the catch is dead code): holds what it may rethrow.
            if (typeof(Exception).IsAssignableFrom(local.LocalType))
            {
                importer.caughtSlots[function.Slots.Count] = local.LocalType;
                function.Slots.Add(IrType.I8); // never read or written: LLVM drops it
                continue;
            }
            if (IsFunctionType(local.LocalType))
            {
                importer.functionSlots.Add(function.Slots.Count);
                function.Slots.Add(IrType.Void); // typed by the first function stored into it
                continue;
            }
            if (IsMessageHandler(local.LocalType))
            {
                importer.messageSlots.Add(function.Slots.Count);
                function.Slots.Add(IrType.I8); // never read or written: the importer gathers the message's parts (IlImporter.Messages)
                continue;
            }
            if (local.LocalType == typeof(PrangeRange) || local.LocalType == typeof(PrangeEnumerator))
            {
                compoundLocals.Add(function.Slots.Count);
                function.Slots.Add(IrType.I64);
                continue;
            }
            // .NET's generic code declares the locals of every type's branch (decimal, Int128, …); those
            // branches fold away, so such a local is an error only where imported code uses it.
            if (IsFrameworkAssembly(method.DeclaringType?.Assembly))
            {
                Type localType = local.LocalType;
                importer.unusableLocals[function.Slots.Count] = () => importer.Error(CompilationErrorKind.UnsupportedType, $"a local of type {localType.Name}",
                    types.WhyNot(localType) ?? "locals must be numbers, enums, structs of them, jit class instances, or arrays of these");
                function.Slots.Add(IrType.I8); // never read or written: LLVM drops it
                continue;
            }
            // A local of an unsupported type exists because of some construct (boxing, a closure,
            // an object): report that construct where it is, as a Release build without the local would.
            importer.ThrowIfUnsupportedInstruction();
            // Closures are locals of compiler-generated classes; point at the lambda, not the class.
            if (IndexRank(local.LocalType) > 0)
                throw importer.Error(CompilationErrorKind.UnsupportedType, $"copying a kernel index ({local.LocalType.Name}) into a variable",
                    "a kernel index is read where it is needed: i.X, i.Y, i.Z (or an Index1D as int)", importer.FirstUseOfLocal(local.LocalIndex));
            if (TypeContext.IsClosure(local.LocalType)) // reported at the lambda, not at its closure
                throw importer.Error(CompilationErrorKind.UnsupportedConstruct, "a lambda that captures variables",
                    "its closure is compiled as a jit class, which this compilation's type context has not", importer.FirstOffsetOf("ldftn") ?? importer.FirstUseOfLocal(local.LocalIndex));
            throw importer.Error(CompilationErrorKind.UnsupportedType, $"a local of type {local.LocalType.Name}",
                types.WhyNot(local.LocalType) ?? "locals must be numbers, enums, structs of them, jit class instances, arrays of these, or delegates",
                importer.FirstUseOfLocal(local.LocalIndex));
        }
        foreach (ParameterInfo p in method.GetParameters())
            function.SlotNames[importer.argumentSlots[p.Position + (method.IsStatic ? 0 : 1)]] = p.Name ?? $"argument {p.Position}";
        foreach ((int local, string name) in importer.locator.LocalNames())
            function.SlotNames[parameters.Count + local] = name;
        // A Prange range or enumerator lives in three I64 slots: its own and two after every local.
        foreach (int local in compoundLocals)
        {
            importer.compoundSlots[local] = function.Slots.Count;
            function.Slots.Add(IrType.I64);
            function.Slots.Add(IrType.I64);
        }
        importer.ReadExceptionRegions(body);
        importer.Run();
        foreach (int slot in importer.functionSlots)
        {
            if (function.Slots[slot] == IrType.Void)
                function.Slots[slot] = IrType.I8; // never stored, so never read: LLVM drops it
        }
        return function;
    }

    /// <summary>Throws the error of the first instruction that can never compile, if there is one.</summary>
    void ThrowIfUnsupportedInstruction()
    {
        // A lambda is the root cause of the closure fields around it, so it is looked for first.
        IlInstruction? found = code.FirstOrDefault(i => i.OpCode.Name is "ldvirtftn")
            ?? code.FirstOrDefault(i => i.OpCode.Name is "box" or "unbox" or "unbox.any" or "isinst" or "castclass"
                or "stsfld" or "calli");
        if (found is not null)
        {
            instruction = found;
            throw Unsupported(DescribeUnsupported(found.OpCode.Name!), "outside the compiled subset of C#");
        }
    }

    int? FirstOffsetOf(string opcode) => code.FirstOrDefault(i => i.OpCode.Name == opcode)?.Offset;

    int FirstUseOfLocal(int index)
    {
        foreach (IlInstruction i in code)
        {
            string n = i.OpCode.Name!;
            if ((n.StartsWith("ldloc", StringComparison.Ordinal) || n.StartsWith("stloc", StringComparison.Ordinal)) && LocalIndex(i) == index)
                return i.Offset;
        }
        return -1;
    }

    static int LocalIndex(IlInstruction i)
    {
        string n = i.OpCode.Name!;
        int dot = n.LastIndexOf('.');
        return dot > 0 && char.IsDigit(n[^1]) && n[dot + 1] != 's' ? n[^1] - '0' : (int)i.Operand;
    }

    void Run()
    {
        for (int n = 0; n < code.Count; n++)
            indexOfOffset[code[n].Offset] = n;
        leaders.Add(0);
        foreach (IlInstruction i in code)
        {
            foreach (int target in i.Targets)
            {
                if (!indexOfOffset.ContainsKey(target))
                    throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"branch into the middle of an instruction (IL_{target:x4})", i.Offset);
                leaders.Add(target);
            }
            if (EndsBlock(i.OpCode))
                leaders.Add(i.Next);
        }

        // The entry block's parameters are the method's arguments; it stores them into their slots.
        IrBlock entry = function.NewBlock(0);
        current = entry;
        for (int a = 0; a < argumentCount; a++)
        {
            ValueId parameter = function.NewValue(function.ParameterTypes[a]);
            entry.Parameters.Add(parameter);
            Emit(Opcode.StoreSlot, IrType.Void, [parameter], slot: a, offset: 0);
        }
        for (int s = argumentCount; s < function.Slots.Count; s++)
        {
            if (!functionSlots.Contains(s)) // a delegate local has no type before its first store, and nothing to zero
                Emit(Opcode.StoreSlot, IrType.Void, [Zero(function.Slots[s], 0)], slot: s, offset: 0); // C# locals start zeroed (localsinit)
        }
        Emit(Opcode.Jump, IrType.Void, [], targets: [new BlockTarget(BlockFor(0, []).Id, [])], offset: 0);

        while (pending.Count > 0)
        {
            (int offset, IrBlock block, int inContext) = pending.Dequeue();
            context = inContext;
            ImportBlock(offset, block);
        }
    }

    static bool EndsBlock(OpCode op) =>
        op.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw;

    /// <summary>
    /// The block at <paramref name="offset"/> in the current import context (or <paramref name="inContext"/>), created
    /// (and queued) on first arrival with the current stack's types; a raise in it goes to the try around it.
    /// </summary>
    IrBlock BlockFor(int offset, List<StackItem> arriving, int? inContext = null)
    {
        int key = inContext ?? context;
        // A caught exception on the stack is no value: the block starts with it again (an exception filter's branches).
        if (arriving.Exists(i => i.Caught is not null))
        {
            caughtOnEntry[(offset, key)] = [.. arriving.Select(i => i.Caught)];
            arriving = arriving.FindAll(i => i.Caught is null);
        }
        if (blockAt.TryGetValue((offset, key), out IrBlock? block))
        {
            if (block.Parameters.Count != arriving.Count)
                throw Error(CompilationErrorKind.InvalidIl, "inconsistent stack", $"IL_{offset:x4} is reached with stack depths {block.Parameters.Count} and {arriving.Count}");
            for (int n = 0; n < arriving.Count; n++)
            {
                IrType existing = function.TypeOf(block.Parameters[n]), incoming = function.TypeOf(arriving[n].Value);
                // null meets a reference: the parameter takes the reference's type (c ? null : x),
                // which reference counting needs to see, whichever arrived first.
                if (existing == IrType.Null && incoming.IsCounted)
                    function.ValueTypes[block.Parameters[n].Index] = incoming;
                if (incoming == IrType.Null && function.TypeOf(block.Parameters[n]).IsReference)
                    continue;
                // Instances of two classes of one hierarchy (c ? new Dog() : new Bird()): their nearest common base, as ECMA-335 merges.
                if (CommonBase(function.TypeOf(block.Parameters[n]), incoming) is { } common)
                {
                    function.ValueTypes[block.Parameters[n].Index] = common;
                    continue;
                }
                if (function.TypeOf(block.Parameters[n]) != incoming)
                    throw Error(CompilationErrorKind.InvalidIl, "inconsistent stack",
                        $"IL_{offset:x4} is reached with {function.TypeOf(block.Parameters[n])} and {incoming} at stack slot {n}");
            }
            return block;
        }
        block = function.NewBlock(offset);
        foreach (StackItem item in arriving)
        {
            if (item.MessageSlot is not null || item.Message is not null)
                throw Unsupported("an interpolated string or concatenation whose parts are computed with branches (a conditional, && or || in a hole, or a choice between messages)",
                    "compute the values into variables first, then build the message of the variables");
            if (item.ArraySlot is not null)
                throw Unsupported("Array.Resize(ref a, n) whose size is computed with branches (a conditional, && or ||)", "compute the new size into a variable first");
            if (item.IsPseudo || item.Boxed is not null)
                throw Error(CompilationErrorKind.UnsupportedConstruct, item.Boxed is not null ? $"a boxed {item.Boxed.Name}" : "an exception object",
                    "boxed values and exception objects may only be used directly in 'throw new X(...)' or a field store"); // literals became values in TargetFor
            block.Parameters.Add(function.NewValue(function.TypeOf(item.Value)));
        }
        blockAt[(offset, key)] = block;
        pending.Enqueue((offset, block, key));
        block.Handler = HandlerAt(offset, key)?.Id;
        return block;
    }

    BlockTarget TargetFor(int offset)
    {
        MaterialiseStrings();
        IrBlock block = BlockFor(offset, stack);
        // Loops, not LINQ, here and below: LINQ over these structs is JIT-compiled in every process.
        var arguments = new List<ValueId>(stack.Count);
        foreach (StackItem item in stack)
        {
            if (item.Caught is null)
                arguments.Add(item.Value);
        }
        return new BlockTarget(block.Id, [.. arguments]);
    }

    void ImportBlock(int offset, IrBlock block)
    {
        current = block;
        stack = new List<StackItem>(block.Parameters.Count);
        if (caughtOnEntry.TryGetValue((offset, context), out Type?[]? shape))
        {
            int next = 0;
            foreach (Type? caughtType in shape)
                stack.Add(caughtType is null ? new StackItem(block.Parameters[next++]) : CaughtItem(caughtType));
        }
        else
        {
            foreach (ValueId parameter in block.Parameters)
                stack.Add(new StackItem(parameter));
        }
        if (catchesAt.TryGetValue(offset, out Type? caught))
            stack.Add(CaughtItem(caught)); // a catch block (or a filter) starts with the exception
        int n = indexOfOffset[offset];
        int redirects = 0;
        while (true)
        {
            instruction = code[n];
            ImportInstruction();
            if (current.Terminator is not null)
                return;
            if (redirect is int to)
            {
                // A branch known at compile time: import on at the side taken, in this block, so that what the
                // stack holds (a kernel index, a type token) stays with it; a cycle of such branches is malformed.
                redirect = null;
                if (InnermostAround(to) != InnermostAround(code[n].Offset))
                {
                    // The side taken is in another try: its block has that try's handler.
                    Emit(Opcode.Jump, IrType.Void, [], targets: [TargetFor(to)]);
                    return;
                }
                n = indexOfOffset[to];
                if (++redirects > code.Count)
                    throw Error(CompilationErrorKind.InvalidIl, "malformed IL", "a cycle of branches whose conditions are known");
                continue;
            }
            n++;
            if (n >= code.Count)
                throw Error(CompilationErrorKind.InvalidIl, "malformed IL", "control falls off the end of the method");
            if (leaders.Contains(code[n].Offset))
            {
                Emit(Opcode.Jump, IrType.Void, [], targets: [TargetFor(code[n].Offset)]);
                return;
            }
        }
    }

    // ---- stack and emission helpers -------------------------------------------------------

    StackItem PopItem()
    {
        if (stack.Count == 0)
            throw Error(CompilationErrorKind.InvalidIl, "stack underflow", $"{instruction.OpCode.Name} needs more operands than the stack holds");
        StackItem item = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return item;
    }

    ValueId Pop()
    {
        StackItem item = PopItem();
        if (item.String is { } text)
            return StringLiteral(text);
        if (item.Message is not null || item.MessageSlot is not null)
            throw Unsupported("building a string (an interpolated string, a concatenation or ToString())", NoNewStrings);
        if (item.Compound is { } compound)
            throw Unsupported(compound.Kind is CompoundKind.IndexValue or CompoundKind.IndexRef ? "a kernel index used as a value" : "a Prange range or enumerator used as a value",
                compound.Kind is CompoundKind.IndexValue or CompoundKind.IndexRef ? "read its X/Y/Z (or convert an Index1D to int)" : "write foreach (int i in Prange.Range(n))");
        if (item.TypeToken is not null)
            throw Unsupported($"typeof({item.TypeToken.Name}) used as a value", "compiled code compares type tokens (typeof(T) == typeof(int)) and has no Type objects");
        if (item.Exception is not null)
            throw Unsupported("exception objects", "an exception can only be created directly in 'throw new X(...)'");
        if (item.Caught is { } caught)
            throw Unsupported($"using the caught {caught.Name} (its members, or as a value)",
                "compiled code has no exception objects: a catch block may rethrow what it caught (throw; or throw e;); catch in .NET to read the exception");
        if (item.ArraySlot is { } arraySlot)
            throw Unsupported($"taking the address of a {function.Slots[arraySlot]} variable", "only numeric and struct variables can be passed by ref (and an array variable to Array.Resize)");
        if (item.Stackalloc)
            throw Unsupported("stackalloc into a pointer (unsafe code)", "compiled code has no pointers: write Span<T> s = stackalloc T[n]");
        if (item.Boxed is not null)
            throw Unsupported($"box {item.Boxed.Name} (boxing a value into an object)", "a boxed value can only be stored into a jit class field declared object");
        if (item.HeldAs is { IsValueType: true })
            throw Unsupported($"a {item.HeldAs.Name} read from an object field, used as an object", $"unbox it first: ({item.HeldAs.Name})field");
        return item.Value;
    }

    void Push(ValueId value) => stack.Add(new StackItem(value));

    IrType TypeOf(ValueId value) => function.TypeOf(value);

    ValueId Emit(Opcode op, IrType type, ValueId[] operands, int slot = 0, IrType? target = null, Condition condition = default,
        bool isChecked = false, bool sourceUnsigned = false, long constant = 0, double floatConstant = 0,
        BlockTarget[]? targets = null, int calleeIndex = -1, MathFunction math = default,
        RaiseInfo? exception = null, int? offset = null, FieldInfo? field = null, IntrinsicKind intrinsic = default, bool boundsChecked = true, string? text = null,
        SimdOp simd = default)
    {
        ValueId? result = type == IrType.Void ? null : function.NewValue(type);
        current.Instructions.Add(new Instruction(op, type, result, operands, locator.Locate(offset ?? instruction.Offset))
        {
            Slot = slot,
            TargetType = target,
            Condition = condition,
            Checked = isChecked,
            SourceUnsigned = sourceUnsigned,
            Constant = constant,
            FloatConstant = floatConstant,
            Targets = targets ?? [],
            Callee = calleeIndex,
            Math = math,
            Exception = exception,
            Field = field,
            Text = text,
            Intrinsic = intrinsic,
            Simd = simd,
            BoundsChecked = boundsChecked,
        });
        return result ?? default;
    }

    ValueId Zero(IrType type, int? offset = null)
    {
        IrType stackType = type.StackType;
        return stackType.Kind switch
        {
            IrTypeKind.F32 or IrTypeKind.F64 => Emit(Opcode.Const, stackType, [], floatConstant: 0, offset: offset),
            IrTypeKind.Array or IrTypeKind.ByRef or IrTypeKind.Null or IrTypeKind.Instance => Emit(Opcode.ConstNull, IrType.Null, [], offset: offset),
            IrTypeKind.Aggregate => Emit(Opcode.Const, stackType, [], constant: 0, offset: offset), // default(S)
            _ => Emit(Opcode.Const, stackType, [], constant: 0, offset: offset),
        };
    }

    /// <summary>The module index of <paramref name="callee"/>, called by the instruction being imported.</summary>
    int ResolveCallee(MethodBase callee, IrType?[]? functions = null) => resolveCallee(callee, functions, new CallSite(methodName, instruction.Offset, locator.Locate(instruction.Offset)));

    ValueId ConstI32(int value) => Emit(Opcode.Const, IrType.I32, [], constant: value);

    CompilationException Unsupported(string construct, string detail) =>
        Error(CompilationErrorKind.UnsupportedConstruct, construct, detail);

    CompilationException Error(CompilationErrorKind kind, string construct, string detail, int? offset = null)
    {
        int at = offset ?? instruction?.Offset ?? -1;
        SourceLocation location = at >= 0 ? locator.Locate(at) : default;
        return new CompilationException(kind, methodName, construct, at, location.File, location.Line, detail);
    }
}
