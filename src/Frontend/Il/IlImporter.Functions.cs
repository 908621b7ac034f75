using System.Reflection;
using System.Runtime.CompilerServices;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Functions as values, specialised: a delegate of a static method or of a lambda, and a function
/// pointer (<c>&amp;Method</c>), are values of the method's own type (<see cref="TypeContext.FunctionOf"/>),
/// which hold no data but a capturing lambda's closure (an NRT-counted instance of its display class,
/// which compiled code treats as a jit class). Guarantees: the C# compiler's cached
/// delegate (<c>&lt;&gt;c.&lt;&gt;9__N</c>, <c>&lt;&gt;O.&lt;0&gt;__M</c>) is its method without the cache; a call
/// through a delegate or a function pointer is a direct call of that method (LLVM inlines it); a
/// method with delegate or function-pointer parameters is compiled once per set of methods its
/// callers pass (as Numba specialises on a first-class function's type); a variable of delegate type
/// holds one method, and a second is refused. A kernel index passed to a method passes its coordinates.
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>Locals of delegate or function-pointer type: typed by the first function stored into them.</summary>
    readonly HashSet<int> functionSlots = [];

    /// <summary>A delegate type (<c>Func&lt;…&gt;</c>, <c>Action</c>, a user's) or a function pointer type (<c>delegate*&lt;…&gt;</c>).</summary>
    internal static bool IsFunctionType(Type type) =>
        type.IsFunctionPointer || type.IsSubclassOf(typeof(MulticastDelegate)) && !type.IsAbstract;

    /// <summary>
    /// A lambda that captures nothing: an instance method of the C# compiler's <c>&lt;&gt;c</c> class, which has
    /// no instance fields (its receiver, the class's singleton, is never read).
    /// </summary>
    internal static bool IsStaticLambda(MethodBase method) =>
        !method.IsStatic && method.DeclaringType is { IsValueType: false } owner && owner.IsDefined(typeof(CompilerGeneratedAttribute))
        && owner.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Length == 0;

    /// <summary>The method a function value's type is; null for any other type.</summary>
    static MethodInfo? FunctionOf(IrType type) => type.Aggregate?.Function;

    /// <summary>
    /// <c>ldftn M</c>: M as a value (what a delegate's constructor or a function pointer takes); a
    /// capturing lambda's closure is filled in by the delegate's constructor (<see cref="NewDelegate"/>).
    /// </summary>
    void LoadFunction()
    {
        MethodBase target = ResolveMethod();
        if (target is not MethodInfo function || !function.IsStatic && !IsStaticLambda(function) && !IsClosureMethod(function))
            throw Unsupported($"a delegate of {Describe(target)}", "delegates and function pointers are made of static methods and of lambdas");
        stack.Add(new StackItem(Zero(types.FunctionOf(function)), Known: true));
    }

    /// <summary>A lambda that captures variables: an instance method of its closure class.</summary>
    static bool IsClosureMethod(MethodInfo method) => !method.IsStatic && method.DeclaringType is { } owner && TypeContext.IsClosure(owner);

    /// <summary>
    /// <c>ldsfld</c> of the C# compiler's cache of a delegate (a static field of its generated class):
    /// the method the code stores into it, found at the <c>ldftn</c> before that store. The cache is then
    /// known to be full, so its test imports only the path that uses it.
    /// </summary>
    bool LoadCachedFunction(FieldInfo field)
    {
        if (field.DeclaringType is not { } owner || !owner.IsDefined(typeof(CompilerGeneratedAttribute)))
            return false;
        if (field.FieldType == owner)
        {
            stack.Add(new StackItem(Emit(Opcode.ConstNull, IrType.Null, []))); // <>9, the singleton a static lambda's delegate targets (never read)
            return true;
        }
        if (!IsFunctionType(field.FieldType))
            return false;
        MethodInfo? cached = CachedMethod(field);
        if (cached is null || !cached.IsStatic && !IsStaticLambda(cached))
            throw Unsupported($"reading static field {owner.Name}.{field.Name}", "a cached delegate whose method this code does not store");
        stack.Add(new StackItem(Zero(types.FunctionOf(cached)), Known: true));
        return true;
    }

    /// <summary>
    /// <c>ldfld</c> of a closure's cache of a delegate (<see cref="TypeContext.IsDelegateCache"/>): the function
    /// value of the lambda the code stores into it, on this closure; known to be full, as a static cache is.
    /// </summary>
    void LoadCachedClosureFunction(FieldInfo cache)
    {
        MethodInfo lambda = CachedMethod(cache)
            ?? throw Unsupported($"reading {cache.DeclaringType?.Name}.{cache.Name}", "a cached delegate whose lambda this code does not store");
        ValueId closure = Pop();
        stack.Add(new StackItem(ClosureFunction(types.FunctionOf(lambda), closure), Known: true));
    }

    /// <summary>The function value of <paramref name="functionType"/> (a capturing lambda's) on <paramref name="closure"/>.</summary>
    ValueId ClosureFunction(IrType functionType, ValueId closure)
    {
        IrType closureType = functionType.Aggregate!.Fields[0].Type;
        int slot = TemporarySlot(functionType);
        Emit(Opcode.StoreSlot, IrType.Void, [Zero(functionType)], slot: slot);
        ValueId field = Emit(Opcode.MemberAddress, types.ByRefTo(closureType), [Emit(Opcode.SlotAddress, types.ByRefTo(functionType), [], slot: slot)], target: closureType, constant: 0);
        Emit(Opcode.StoreIndirect, IrType.Void, [field, closure], target: closureType);
        return Emit(Opcode.LoadSlot, functionType, [], slot: slot);
    }

    /// <summary>The method the code stores into a delegate cache (a static one or a closure's): the one at the <c>ldftn</c> before the store.</summary>
    MethodInfo? CachedMethod(FieldInfo cache)
    {
        for (int n = 0; n < code.Count; n++)
        {
            if (code[n].OpCode.Name is not ("stsfld" or "stfld") || method.Module.ResolveField(code[n].Token, TypeArguments, MethodArguments) != cache)
                continue;
            for (int back = n - 1; back >= 0; back--)
            {
                if (code[back].OpCode.Name == "ldftn")
                    return method.Module.ResolveMethod(code[back].Token, TypeArguments, MethodArguments) as MethodInfo;
            }
        }
        return null;
    }

    /// <summary>
    /// <c>new D(target, ftn)</c> of a delegate: the function; a capturing lambda's value holds its closure
    /// (the target), a static method's target is null and a static lambda's is never read.
    /// </summary>
    void NewDelegate(Type type)
    {
        StackItem function = PopItem();
        StackItem target = PopItem();
        IrType functionType = function.IsPseudo ? IrType.Void : TypeOf(function.Value);
        if (FunctionOf(functionType) is null)
            throw Unsupported($"new {type.Name} of something other than a method", "delegates are made of static methods and of lambdas");
        if (functionType.Aggregate!.Fields.Count == 0)
        {
            stack.Add(function with { Known = true });
            return;
        }
        ValueId instance = target.IsPseudo ? throw Unsupported($"new {type.Name} of a lambda without its closure", "a capturing lambda's delegate is made where its closure is") : target.Value;
        stack.Add(new StackItem(ClosureFunction(functionType, instance), Known: true));
    }

    /// <summary>A call through a delegate (<c>Invoke</c>) or a function pointer (<c>calli</c>): a direct call of the method its type is.</summary>
    void CallFunction(bool pointer)
    {
        ValueId receiver;
        ValueId[] arguments;
        MethodInfo? function;
        if (pointer)
        {
            receiver = Pop();
            function = FunctionOf(TypeOf(receiver));
            if (function is null)
                throw Unsupported("calli of a computed address", "a function pointer is called where the method it points to is known (&Method)");
            arguments = PopArguments(function.GetParameters());
        }
        else
        {
            MethodBase invoke = ResolveMethod();
            arguments = PopArguments(invoke.GetParameters());
            receiver = Pop();
            function = FunctionOf(TypeOf(receiver))
                ?? throw Unsupported($"calling a {invoke.DeclaringType?.Name} whose method is not known", "delegates are made of static methods and of lambdas, in this compilation");
        }
        if (function.IsStatic && IsFrameworkAssembly(function.DeclaringType?.Assembly))
        {
            // A library method as a value (Math.Sqrt): called as a direct call of it is, built-ins included.
            foreach (ValueId argument in arguments)
                Push(argument);
            CallMethod(function);
            return;
        }
        if (!function.IsStatic)
        {
            // A capturing lambda runs on its closure, a static lambda on its own value (never read).
            IrType receiverType = TypeOf(receiver);
            ValueId self = receiverType.Aggregate!.Fields.Count == 0 ? receiver
                : Emit(Opcode.ExtractMember, receiverType.Aggregate.Fields[0].Type, [receiver], target: receiverType.Aggregate.Fields[0].Type, constant: 0);
            arguments = [self, .. arguments];
        }
        IrType result = ResultOf(function);
        ValueId value = Emit(Opcode.Call, result, arguments, calleeIndex: ResolveCallee(function, Specialisation(function, arguments)));
        if (result != IrType.Void)
            Push(value);
    }

    /// <summary>
    /// The arguments of a call to a method with <paramref name="parameters"/>, in order: a kernel index
    /// passes each of its coordinates (as a kernel's own parameters take them).
    /// </summary>
    ValueId[] PopArguments(ParameterInfo[] parameters)
    {
        var values = new List<ValueId>[parameters.Length];
        for (int a = parameters.Length - 1; a >= 0; a--)
        {
            int rank = IndexRank(parameters[a].ParameterType);
            if (rank > 0 && stack.Count > 0 && stack[^1].Compound is { Kind: CompoundKind.IndexValue } index && index.Rank == rank)
            {
                PopItem();
                values[a] = [.. Enumerable.Range(0, rank).Select(d => Emit(Opcode.LoadSlot, function.Slots[index.Slot + d].StackType, [], slot: index.Slot + d))];
                continue;
            }
            values[a] = [Pop()];
            if (types.Map(parameters[a].ParameterType) is { } declared)
                RefuseArrayCovariance(values[a][0], declared);
        }
        return [.. values.SelectMany(v => v)];
    }

    /// <summary>
    /// The function values a call passes to <paramref name="callee"/>'s delegate and function-pointer
    /// parameters (by IL parameter position, null elsewhere), or null when it has none: the callee is
    /// compiled for them. <paramref name="arguments"/> are the call's IR arguments (<c>this</c> first).
    /// </summary>
    IrType?[]? Specialisation(MethodBase callee, ValueId[] arguments)
    {
        ParameterInfo[] parameters = callee.GetParameters();
        if (!parameters.Any(p => IsFunctionType(p.ParameterType)))
            return null;
        var functions = new IrType?[parameters.Length];
        int at = callee.IsStatic ? 0 : 1;
        foreach (ParameterInfo p in parameters)
        {
            int rank = IndexRank(p.ParameterType);
            if (IsFunctionType(p.ParameterType))
            {
                IrType passed = TypeOf(arguments[at]);
                functions[p.Position] = FunctionOf(passed) is not null ? passed
                    : throw Unsupported($"passing a {passed} as {p.ParameterType.Name} '{p.Name}' of {Describe(callee)}", "pass a static method or a lambda");
            }
            at += Math.Max(rank, 1);
        }
        return functions;
    }

    /// <summary>A store into a local of delegate type: the first function stored types it; another function is refused.</summary>
    void TypeFunctionSlot(int slot, ValueId value)
    {
        IrType stored = TypeOf(value);
        IrType slotType = function.Slots[slot];
        if (FunctionOf(stored) is not { } storedFunction)
            throw Unsupported($"storing a {stored} into a delegate variable", "a delegate variable holds a static method or a lambda");
        if (slotType == IrType.Void)
            function.Slots[slot] = stored;
        else if (slotType != stored)
            throw Unsupported($"a delegate variable that holds {FunctionOf(slotType)?.Name} and {storedFunction.Name}",
                "functions as values are specialised: a variable holds one method; use two variables, or an if around two calls");
    }
}
