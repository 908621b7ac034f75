using System.Reflection;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;
using Targets.Frontend.Passes;

namespace Targets.Frontend;

/// <summary>
/// Runs the frontend for an entry method: imports it and, transitively, every method it calls
/// (recursion included) into one <see cref="IrModule"/> typed by the target's
/// <see cref="TypeContext"/>, verifies the IR, and runs the target's <see cref="Pipeline"/>
/// (verifying after each pass). Function 0 is the entry. A failure of the compiler's own (whatever is
/// not a <see cref="CompilationException"/> or <see cref="ArgumentException"/>) comes out as a
/// <see cref="InternalCompilerErrorException"/> naming the stage, never as itself. With
/// <see cref="CompileOptions.LazyCallees"/>, only the entry is imported: every other method it calls
/// is a declaration (its signature), compiled separately when first called.
/// </summary>
public static class FrontendCompiler
{
    /// <param name="entry">The method to compile.</param>
    /// <param name="options">The compilation's options.</param>
    /// <param name="types">The target's type context.</param>
    /// <param name="pipeline">The target's passes.</param>
    /// <param name="functions">
    /// The methods the host passes to <paramref name="entry"/>'s delegate and function-pointer parameters:
    /// function 0 is then the wrapper that takes the other parameters (<see cref="BoundEntry"/>), function 1
    /// the entry compiled for those methods. Required exactly when the entry has such parameters.
    /// </param>
    public static IrModule Compile(MethodBase entry, CompileOptions options, TypeContext types, Pipeline pipeline, FunctionArguments? functions = null)
    {
        ThrowIfOpen(entry, nameof(entry));
        return Compile(entry, null, options, types, pipeline, functions);
    }

    /// <summary>
    /// Refuses a method the host would call that returns a span (it would view memory the call lends, or compiled
    /// code's), takes one by reference, or — unless <paramref name="spanParameters"/>, where the host's typed stub pins
    /// a span argument's memory for the call — takes one at all. (Compiled code calls methods that take and return
    /// spans; a lazily compiled callee is one.)
    /// </summary>
    public static void ThrowIfSpansCross(MethodBase entry, bool spanParameters)
    {
        Type returned = entry is MethodInfo info ? info.ReturnType : typeof(void);
        foreach ((Type type, string what, bool parameter) in entry.GetParameters().Select(p => (p.ParameterType, $"parameter '{p.Name}'", true)).Append((returned, "the return value", false)))
        {
            Type plain = type.IsByRef ? type.GetElementType()! : type;
            if (!SpanTypes.IsSpan(plain) || spanParameters && parameter && !type.IsByRef)
                continue;
            SourceLocation first = Diagnostics.SourceLocator.For(entry).Locate(0);
            string detail = !parameter ? "a span returned to .NET would view memory the call lent or compiled code's own: return an array (s.ToArray()), or write into an array passed in"
                : spanParameters ? "a span is passed by value (.NET's stub pins its memory for the call): take it without ref"
                : "the device cannot see the host's memory a span views: pass an array (a DeviceArray<T> or T[]) and make the span inside";
            string name = $"{plain.Name[..plain.Name.IndexOf('`', StringComparison.Ordinal)]}<{plain.GetGenericArguments()[0].Name}>";
            throw new CompilationException(CompilationErrorKind.UnsupportedType, $"{entry.DeclaringType?.Name}.{entry.Name}", $"{what} of type {name} of a method called from .NET", -1,
                first.File, first.Line, detail);
        }
    }

    /// <summary>
    /// Refuses a method the host would call that takes or returns a collection compiled code runs on its own containers
    /// (<c>List&lt;T&gt;</c>): where <paramref name="copied"/> (cpu and parallel copy a collection's contents across the call),
    /// one passed by reference or whose elements are not plain data (instances, arrays, other collections: .NET's elements
    /// are objects compiled code cannot own); else (cuda, which has no device allocation) every one.
    /// </summary>
    public static void ThrowIfCollectionsCross(MethodBase entry, bool copied)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Type returned = entry is MethodInfo info ? info.ReturnType : typeof(void);
        foreach ((Type type, string what) in entry.GetParameters().Select(p => (p.ParameterType, $"parameter '{p.Name}'")).Append((returned, "the return value")))
        {
            Type plain = type.IsByRef ? type.GetElementType()! : type;
            if (Il.Collections.CollectionTypes.SubstituteOf(plain) is not { } substitute)
                continue;
            string? detail = !copied ? "a function run on cuda cannot allocate containers on the device: pass arrays"
                : substitute.IsNested ? "an enumerator or a dictionary's keys or values view their collection: pass or return the collection itself"
                : type.IsByRef ? "a collection crosses as a copy of its contents (copied back after the call), never as a variable compiled code could point elsewhere: pass it without ref or out, and return a new one"
                : plain.GetGenericArguments().FirstOrDefault(Il.Collections.CollectionTypes.HoldsReferences) is { } element
                    ? $"a collection crosses as a copy of its contents, which must be numbers, enums or structs of them; {element.Name} holds references .NET and compiled code cannot share: pass arrays of plain data in, or keep the collection inside compiled code"
                : null;
            if (detail is null)
                continue;
            SourceLocation first = Diagnostics.SourceLocator.For(entry).Locate(0);
            throw new CompilationException(CompilationErrorKind.UnsupportedType, $"{entry.DeclaringType?.Name}.{entry.Name}",
                $"{what} of type {Il.Collections.CollectionTypes.DotnetName(substitute)} of a method called from .NET", -1, first.File, first.Line, detail);
        }
    }

    /// <summary>
    /// Refuses what cannot be an entry: a generic method whose type arguments are not given (compiled code
    /// is one closed instantiation; <c>Code.Sum&lt;double&gt;</c> or <c>MakeGenericMethod</c> gives one).
    /// </summary>
    public static void ThrowIfOpen(MethodBase method, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(method, parameterName);
        if (method.ContainsGenericParameters)
            throw new ArgumentException($"Expected a closed generic method; {method.DeclaringType?.Name}.{method.Name} has open type parameters "
                + $"({string.Join(", ", (method.DeclaringType?.GetGenericArguments() ?? []).Concat(method.IsGenericMethod ? method.GetGenericArguments() : []).Where(t => t.IsGenericParameter).Select(t => t.Name))}): "
                + "compile an instantiation, e.g. Method<double> or method.MakeGenericMethod(typeof(double)).", parameterName);
    }

    /// <summary>The entry function <see cref="Compile(MethodBase, CompileOptions, TypeContext, Pipeline, FunctionArguments?)"/> would make for <paramref name="entry"/>, declared (its name and signature) without importing its body.</summary>
    public static IrFunction DeclareEntry(MethodBase entry, TypeContext types)
    {
        ThrowIfOpen(entry, nameof(entry));
        return IlImporter.Declare(entry, BaseSymbol(entry), types);
    }

    /// <summary>
    /// Reads the debug information of <paramref name="entry"/>'s assembly now (its PDB, for source
    /// locations; parsed when first used), so the frontend that follows makes no first native call
    /// of its own: while another thread loads a shared library, glibc holds its loader lock, and any
    /// first call of a P/Invoke (which .NET binds by <c>dlsym</c>) waits for the whole load.
    /// </summary>
    public static void ReadSources(MethodBase entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Diagnostics.SourceLocator.Read(entry);
    }

    /// <summary>A method of .NET's own (a library struct's member, compiled from its IL): always imported with its caller, never lazily.</summary>
    static bool IsLibrary(MethodBase method) => IlImporter.IsFrameworkAssembly(method.DeclaringType?.Assembly);

    /// <summary>A function's symbol before it is made unique in its module (the entry's is never changed).</summary>
    static string BaseSymbol(MethodBase method) => $"{method.DeclaringType?.FullName?.Replace('+', '.')}.{method.Name}";

    /// <summary>
    /// Compiles a kernel for a launch: function 0 is its launcher (<see cref="KernelLauncher"/>),
    /// function 1 the kernel (or, given <paramref name="functions"/>, the wrapper of the kernel compiled for
    /// them, see <see cref="Compile(MethodBase, CompileOptions, TypeContext, Pipeline, FunctionArguments?)"/>), then what it calls.
    /// </summary>
    public static IrModule CompileKernel(MethodInfo kernel, CompileOptions options, TypeContext types, Pipeline pipeline, FunctionArguments? functions = null)
    {
        ThrowIfOpen(kernel, nameof(kernel));
        int rank = KernelLauncher.Validate(kernel);
        return Compile(kernel, module => KernelLauncher.Build(module, kernel, rank), options, types, pipeline, functions);
    }

    static IrModule Compile(MethodBase entry, Func<IrModule, IrFunction>? launcher, CompileOptions options, TypeContext types, Pipeline pipeline, FunctionArguments? functions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        if ((functions is null) == FunctionArguments.Takes(entry))
            throw new ArgumentException(functions is null
                ? $"{BaseSymbol(entry)} takes delegates or function pointers: it is compiled for the methods passed to them (FunctionArguments)."
                : $"{BaseSymbol(entry)} takes no delegate or function pointer; it was given {functions}.", nameof(functions));
        var module = new IrModule(types);
        try
        {
            module.Timings.Measure("import IL", () => Import(module, entry, launcher, options, types, functions));
            module.Timings.Measure("verify IR", () => IrVerifier.Verify(module));
        }
        catch (Exception e) when (InternalCompilerErrorException.IsInternal(e))
        {
            throw new InternalCompilerErrorException(BaseSymbol(entry), "importing IL", e);
        }
        module.PassCounts = pipeline.Run(module, options);
        return module;
    }

    /// <summary>The entry and, transitively, what it calls (declared only, with lazy callees), into <paramref name="module"/>.</summary>
    static void Import(IrModule module, MethodBase entry, Func<IrModule, IrFunction>? launcher, CompileOptions options, TypeContext types, FunctionArguments? functions)
    {
        // The places of the launcher and of the wrapper that binds the host's functions, filled once the entry's signature is known.
        int reserved = (launcher is null ? 0 : 1) + (functions is null ? 0 : 1);
        for (int n = 0; n < reserved; n++)
            module.Functions.Add(null!);
        // One function per method and set of function values passed to its delegate parameters.
        var indices = new Dictionary<(MethodBase, string), int>();
        var queue = new Queue<(MethodBase Method, IrType?[]? Functions, Type? DispatchOver)>();
        var symbols = new HashSet<string>();
        // Where each library method was first called from user code (a library method's own calls
        // inherit its site): a library body that leaves the subset is refused there.
        var userSites = new Dictionary<MethodBase, (IlImporter.CallSite Site, MethodBase Called)>();
        MethodBase importing = entry;

        int Resolve(MethodBase method, IrType?[]? functions, IlImporter.CallSite site, Type? dispatchOver = null)
        {
            string specialisation = dispatchOver is not null ? $"dispatch over {dispatchOver.AssemblyQualifiedName}"
                : functions is null ? "" : string.Join(",", functions.Select(f => f?.ToString()));
            if (indices.TryGetValue((method, specialisation), out int index))
                return index;
            index = indices.Count + reserved;
            indices[(method, specialisation)] = index;
            queue.Enqueue((method, functions, dispatchOver));
            if (IsLibrary(method) && method != entry) // a library method compiled as the entry reports its own errors
                userSites[method] = userSites.TryGetValue(importing, out var outer) ? outer : (site, method);
            return index;
        }

        string Symbol(MethodBase method)
        {
            string baseName = BaseSymbol(method);
            string name = baseName;
            for (int n = 1; !symbols.Add(name); n++)
                name = $"{baseName}.{n}";
            return name;
        }

        Resolve(entry, functions?.Types(entry, types), default);
        while (queue.Count > 0)
        {
            (MethodBase method, IrType?[]? passed, Type? dispatchOver) = queue.Dequeue();
            importing = method;
            if (dispatchOver is not null)
            {
                module.Functions.Add(VirtualDispatch.Build((MethodInfo)method, dispatchOver, Symbol(method) + ".dispatch", types, m => Resolve(m, null, default)));
                continue;
            }
            try
            {
                // A method compiled for the functions it is passed, and a lambda, are imported with their caller, as a library method is.
                module.Functions.Add(options.LazyCallees && method != entry && !IsLibrary(method) && passed is null && !IlImporter.IsStaticLambda(method)
                    ? IlImporter.Declare(method, Symbol(method), types)
                    : IlImporter.Import(method, Symbol(method), Resolve, types, passed));
            }
            catch (CompilationException e) when (userSites.TryGetValue(method, out var user))
            {
                string called = $"{user.Called.DeclaringType?.Name}.{user.Called.Name}", failing = $"{method.DeclaringType?.Name}.{method.Name}";
                string inside = method == user.Called ? "its body" : $"{failing}, which it calls,";
                throw new CompilationException(e.Kind, user.Site.Caller, $"calling {called}", user.Site.IlOffset, user.Site.Location.File, user.Site.Location.Line,
                    $"{called} compiles from .NET's IL, and {inside} uses {e.Construct}, which compiled code does not support", e, e.Code);
            }
        }
        if (functions is not null)
        {
            module.Functions[reserved - 1] = BoundEntry.Build(module, entry, reserved);
            // A small entry joins its wrapper now, so that a kernel's launcher can take it in whole (below).
            InlineStraightCalls.Run(module, module.Functions[reserved - 1]);
        }
        if (launcher is not null)
        {
            module.Functions[0] = launcher(module);
            // A small kernel joins its launcher's loop now, so that the loop passes (counting,
            // bounds-check versioning) see the kernel's array accesses indexed by the loop variable.
            InlineStraightCalls.Run(module, module.Functions[0]);
        }
    }
}
