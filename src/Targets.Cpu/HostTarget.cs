using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using Targets.Cpu.Host;
using Targets.Frontend;
using Targets.Frontend.Ir;
using Targets.Frontend.Passes;
using Targets.Runtime.Passes;
using Targets.Llvm;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;
using Targets.Llvm.Linking;
using Targets.Cache;
using Targets.Cpu.Cache;

namespace Targets.Cpu;

/// <summary>
/// What the cpu and parallel targets share: C# methods through the frontend and NRT's passes,
/// lowered to LLVM IR by the <see cref="HostLowering"/>, optimised with <c>default&lt;O3&gt;</c>
/// for the host CPU (vectorisation on), compiled to an object file and loaded by the project's own
/// loader (kept in the persistent compile cache, see <c>HostTarget.Cache.cs</c>), or JIT-compiled by
/// ORC LLJIT where that loader is not used (lazy callees, kernel launchers, constructors, other
/// hosts). Thread-safe; each method is compiled once per (options, layout context) and cached. Each
/// target compiles against its own <see cref="LayoutContext"/> unless given one. All host targets
/// share one process-wide JIT and symbol table with the NRT runtime installed once, so a new target
/// costs nothing; a compiled function's code
/// stays until it is disposed (<see cref="CompiledFunction.Dispose()"/>), constructors' and kernel
/// launchers' code until the process ends. Jit-class destructors live in modules of their own
/// (<see cref="InstanceDestructors"/>), so instances outlive the code that made them. The targets differ only in what they do with
/// <see cref="Prange"/> loops (and so kernel launches): in order, or across cores.
/// </summary>
public abstract partial class HostTarget : ITarget, IDisposable
{
    /// <summary>A target compiling against <paramref name="layouts"/> (which must represent instances as counted references).</summary>
    private protected HostTarget(LayoutContext layouts)
    {
        ArgumentNullException.ThrowIfNull(layouts);
        if (layouts.Representation != InstanceRepresentation.Counted)
            throw new ArgumentException($"The {GetType().Name} represents instances as counted references; {layouts} is {layouts.Representation}.", nameof(layouts));
        Layouts = layouts;
    }

    /// <summary>Threads Prange loops (and kernel launches) run on; 0: in order, on the calling thread, as .NET runs them.</summary>
    private protected abstract int ParallelWorkers { get; }

    /// <summary>
    /// A host lowering for one compilation (made only when compiling: a cache hit lowers nothing):
    /// the cpu target's runs NRT's pipeline and its loops in order; the parallel target's is its own.
    /// </summary>
    private protected virtual HostLowering NewLowering(Func<JitClassType, string> destructorOf, Func<IrFunction, long> resolveToken, bool checkedRefcounts) =>
        new(Layouts, destructorOf, resolveToken, NrtPasses.Pipeline, checkedRefcounts);

    /// <summary>A target of this kind compiling against <paramref name="layouts"/> (a specialisation, see <see cref="For"/>).</summary>
    private protected abstract HostTarget WithLayouts(LayoutContext layouts);

    readonly ConcurrentDictionary<LayoutContext, HostTarget> specialisations = new();

    /// <summary>
    /// This target when <paramref name="layouts"/> is its context, else its sibling compiling under
    /// <paramref name="layouts"/> (a context derived for another layout of a class): code for boxes
    /// of another <c>Define</c> of a class is compiled there, once per layout.
    /// </summary>
    internal HostTarget For(LayoutContext layouts) => layouts == Layouts ? this : specialisations.GetOrAdd(layouts, WithLayouts);

    /// <summary>Binds a symbol compiled code calls (a runtime entry point) for every linker; before any code that calls it is compiled.</summary>
    private protected static void DefineRuntimeSymbol(string name, nint address) => HostSymbols.Define(name, address);

    /// <summary>Which classes are jit classes and how they are laid out, for this target's code.</summary>
    public LayoutContext Layouts { get; }

    /// <summary>How long installing the NRT runtime and starting the process's JIT took (paid by the first compilation that needs each).</summary>
    public static CompileTimings EngineTimings { get; } = new();

    /// <summary>
    /// The process's ORC JIT, which optimises and links freshly compiled code; created on first need,
    /// so a process whose code all comes from the persistent cache never loads LLVM. It sees every
    /// symbol of <see cref="HostSymbols"/>.
    /// </summary>
    static readonly Lazy<JitEngine> SharedJit = new(() =>
    {
        JitEngine jit = EngineTimings.Measure("LLVM: load, create the JIT", JitEngine.Create);
        EngineTimings.Report("the process's JIT (once per process)");
        return HostSymbols.Attach(jit);
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    static readonly Lazy<CpuRuntime> SharedRuntime = new(() =>
    {
        var runtime = CpuRuntime.Install(() => SharedJit.Value, EngineTimings);
        EngineTimings.Report("the process's NRT runtime (once per process)");
        return runtime;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    static readonly InstanceDestructors SharedDestructors = new(() => SharedJit.Value);

    static int preparing;
    static readonly ConcurrentQueue<JitClassType> DestructorsToPrepare = new();

    /// <summary>
    /// Starts installing the NRT runtime and loading the JIT (libLLVM alone takes ~50–70 ms to load;
    /// a runtime not built with the compiler and not in the cache is compiled too) on a thread of its
    /// own when a compilation needs LLVM, while the calling thread runs the frontend (longer than
    /// the load): on two cores the waits overlap. Started once per process; a
    /// failure stays in the <see cref="Lazy{T}"/>, which rethrows it to the compilation that needs it;
    /// the process does not exit before the thread is done with LLVM.
    /// </summary>
    /// <param name="destructors">
    /// Layouts whose destructors the code will link against (the cache key's classes): compiled on
    /// that thread once LLVM is loaded, beside the caller's lowering, optimisation and code
    /// generation (the code names them; see <see cref="PrepareLink"/>). A failure is left for the
    /// link, which asks again.
    /// </param>
    /// <param name="method">
    /// The method about to be compiled: its PDB is read first, on the caller's thread. While a
    /// thread loads a shared library glibc holds its loader lock, and a first call of any P/Invoke
    /// (.NET binds it by <c>dlsym</c>) waits for the whole load, ~60 ms for libLLVM; so the caller
    /// makes its native calls (the cache key's machine part, the PDB's read) before the load starts,
    /// and the frontend that runs beside the load makes none.
    /// </param>
    static void PrepareJit(MethodBase method, IEnumerable<JitClassType>? destructors = null)
    {
        FrontendCompiler.ReadSources(method);
        foreach (JitClassType layout in destructors ?? [])
            DestructorsToPrepare.Enqueue(layout);
        if (SharedJit.IsValueCreated || Interlocked.Exchange(ref preparing, 1) != 0)
            return;
        OnAnotherCore("targets: load LLVM", () =>
        {
            // The library first, by a plain call: loaded from inside the first LLVM call's
            // binding (the DllImportResolver), its dlopen (~70 ms) ran while the .NET runtime
            // held a lock the caller's thread then waited on in the frontend. Measured in a
            // fresh process: binary-trees' IL import 75 -> 20-27 ms (its first call unchanged:
            // LLVM's load is the longer path there); a 41-method program's import 82-86 ->
            // 27-29 ms, its first call ~510 -> ~450 ms.
            _ = LlvmLibrary.IsAvailable;
            _ = SharedJit.Value;
            _ = SharedRuntime.Value;
            while (DestructorsToPrepare.TryDequeue(out JitClassType? layout))
                Destructors.SymbolOf(layout);
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a background thread of its own, for results a compilation
    /// will need (kept in <see cref="Lazy{T}"/>s and caches). A failure is dropped: the compilation
    /// that needs the result meets it again there and reports it. The process waits for the thread
    /// at exit: LLVM's global destructors run at exit(), and a process ending while the thread is
    /// inside LLVM (a compilation that failed in the frontend, then Main returned) would have them
    /// free what the thread is using; glibc aborts the process ("corrupted double-linked list").
    /// The work only loads and compiles, and then ends.
    /// </summary>
    static void OnAnotherCore(string name, Action work)
    {
        var thread = new Thread(() =>
        {
#pragma warning disable CA1031 // the compilation that needs the result meets (and reports) the failure
            try
            {
                work();
            }
            catch (Exception)
            {
            }
#pragma warning restore CA1031
        }) { IsBackground = true, Name = name };
        thread.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => thread.Join(TimeSpan.FromMinutes(1));
    }

    /// <summary>The JIT, with the runtime installed (the code it links calls the runtime).</summary>
    static JitEngine Jit
    {
        get
        {
            _ = SharedRuntime.Value;
            return SharedJit.Value;
        }
    }

    /// <summary>The host target machine that configures and optimises modules: the JIT's, needing no runtime yet (the code is linked later).</summary>
    static TargetMachine Machine => SharedJit.Value.Optimizer;

    /// <summary>
    /// The quick tier's machine (<see cref="CompileTier.Quick"/>): no code-generation optimisation (fast
    /// instruction selection, the fast register allocator); a machine of its own, so that quick compilations do not
    /// wait for the optimised ones the tier-up thread runs on <see cref="Machine"/>.
    /// </summary>
    static TargetMachine QuickMachine => SharedQuickMachine.Value;

    static readonly Lazy<TargetMachine> SharedQuickMachine = new(() => TargetMachine.CreateHost(Targets.Llvm.Interop.LLVMCodeGenOptLevel.None));

    /// <summary>The destructors, with the runtime installed (they call it).</summary>
    static InstanceDestructors Destructors
    {
        get
        {
            _ = SharedRuntime.Value;
            return SharedDestructors;
        }
    }

    bool disposed;

    readonly ConcurrentDictionary<CodeKey<MethodInfo, LayoutContext>, Lazy<CpuCompiledFunction>> cache = new();
    static int modules;

    public abstract string Name { get; }

    /// <summary>The NRT runtime of this target's JIT.</summary>
    internal static CpuRuntime Runtime => SharedRuntime.Value;

    public CompiledFunction Compile(Delegate method, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Target is not null)
            throw new ArgumentException(
                $"Expected a static method; {method.Method.Name} is bound to an instance (lambdas compile to instance methods of a hidden class: write a static method).",
                nameof(method));
        return Compile(method.Method, options);
    }

    /// <summary>
    /// A new instance of a jit class, made by its compiled constructor: the box owns one
    /// reference. Each <paramref name="type"/> (each <c>Define</c> of a class, whatever its spec)
    /// gets code compiled for its layout; the box's methods and the functions it is passed to run
    /// code for that layout too.
    /// </summary>
    /// <exception cref="ArgumentException">No public constructor takes these arguments.</exception>
    public JitObject New(JitClassType type, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (type.ClrType.IsAbstract)
            throw new ArgumentException($"{type.Name} is abstract: make an instance of a class derived from it.", nameof(type));
        LayoutContext layouts = Layouts.With(type);
        if (layouts != Layouts)
            return For(layouts).New(type, args); // another layout of the class: its constructor compiled for it
        (ConstructorInfo ctor, object?[] converted) = HostOverloads.Choose(type.ClrType.GetConstructors(), args, $"new {type.Name}");
        var made = (JitObject)Constructors.GetOrAdd(new(ctor, Effective(null), Layouts), c => new Lazy<Func<object?[], object?>>(() => CompileConstructor(c.Method, c.Options))).Value(converted)!;
        CpuObjects owner = CpuObjects.For(Layouts);
        return new JitObject(type, owner.Detach(made), owner);
    }

    static readonly ConcurrentDictionary<CodeKey<ConstructorInfo, LayoutContext>, Lazy<Func<object?[], object?>>> Constructors = new();

    Func<object?[], object?> CompileConstructor(ConstructorInfo ctor, CompileOptions options)
    {
        (IrModule ir, nint address, _, _, _, _) = CompileCode(ctor, options);
        return HostStubGenerator.Boxed(HostSignature.Of(ir.Entry), new CompiledCode(address, SharedModule.Kept(), Layouts), Runtime);
    }

    /// <summary>
    /// The options code is compiled with, on every path (functions, constructors, launchers): the
    /// caller's, with NRT debug mode folded in — asking for it switches the process's mode on, and
    /// code compiled while the mode is on is the checked variant (and cached as such). Code
    /// generation reads the options alone, never the process's mode.
    /// </summary>
    static CompileOptions Effective(CompileOptions? options)
    {
        CompileOptions key = options ?? CompileOptions.Default;
        if (key.NrtDebug)
            Nrt.DebugMode = true;
        else if (Nrt.DebugMode)
            key = key with { NrtDebug = true };
        return key;
    }

    public CompiledFunction Compile(MethodInfo method, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(disposed, this);
        FrontendCompiler.ThrowIfOpen(method, nameof(method));
        FrontendCompiler.ThrowIfSpansCross(method, spanParameters: true);
        FrontendCompiler.ThrowIfCollectionsCross(method, copied: true);
        if (method is DynamicMethod || method.GetType().FullName == "System.Reflection.Emit.DynamicMethod+RTDynamicMethod")
            throw new ArgumentException("Expected a method of a loaded assembly; dynamic methods have no readable IL.", nameof(method));
        CompileOptions key = Effective(options);
        var request = new CodeKey<MethodInfo, LayoutContext>(method, key, Layouts);
        if (FunctionArguments.Takes(method))
            return Crossing(method, Specialising(request));
        Lazy<CpuCompiledFunction> entry = cache.GetOrAdd(request,
            k => new Lazy<CpuCompiledFunction>(() => CompileUncached(k.Method, k.Options), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return Crossing(method, entry.Value);
        }
        catch
        {
            // A failed compilation is not cached: the next call reports the error again.
            cache.TryRemove(new KeyValuePair<CodeKey<MethodInfo, LayoutContext>, Lazy<CpuCompiledFunction>>(request, entry));
            throw;
        }
    }

    /// <summary><paramref name="compiled"/> as .NET calls it: through a <see cref="CrossingFunction"/> where the method takes or returns collections.</summary>
    CompiledFunction Crossing(MethodInfo method, CompiledFunction compiled) => CrossingFunction.Needed(method) ? new CrossingFunction(compiled, this) : compiled;

    CpuCompiledFunction CompileUncached(MethodInfo method, CompileOptions options)
    {
        if (options.Tier == CompileTier.Tiered && options.Optimize && !options.LazyCallees)
            return CompileTiered(method, options);
        (EntryCode entry, SharedModule module) = CompileShared(method, options);
        var code = new CompiledCode(entry.Address, module, Layouts, entry.Brief, Quick(options) ? CompileTier.Quick : CompileTier.Optimized);
        CpuCompiledFunction? compiled = null;
        compiled = new CpuCompiledFunction(method, entry, code, Runtime, Layouts,
            () => Forget(new(method, options, Layouts), compiled!), layouts => For(layouts).Compile(method, options));
        return compiled;
    }

    /// <summary>Whether <paramref name="options"/> ask for the quick tier's code (ignored without optimisation and with lazy callees).</summary>
    static bool Quick(CompileOptions options) => options.Tier == CompileTier.Quick && options.Optimize && !options.LazyCallees;

    /// <summary>
    /// Tiered code (<see cref="CompileTier.Tiered"/>): the optimised code at once where it exists (another target
    /// compiled it, or the compile cache holds it); otherwise the quick code now, and the optimised code compiled
    /// on the tier-up thread (and kept in the cache) and promoted into the function's handle when ready. A failed
    /// promotion leaves the quick code in place.
    /// </summary>
    CpuCompiledFunction CompileTiered(MethodInfo method, CompileOptions options)
    {
        CompileOptions top = options with { Tier = CompileTier.Optimized }, quick = options with { Tier = CompileTier.Quick };
        (EntryCode Code, SharedModule Module)? existing = JoinShared(method, top);
        bool ready = existing is not null || CachedTopTier(method, top);
        (EntryCode entry, SharedModule module) = existing ?? CompileShared(method, ready ? top : quick);
        var code = new CompiledCode(entry.Address, module, Layouts, entry.Brief, ready ? CompileTier.Optimized : CompileTier.Quick, promoted: !ready);
        CpuCompiledFunction? compiled = null;
        compiled = new CpuCompiledFunction(method, entry, code, Runtime, Layouts,
            () => Forget(new(method, options, Layouts), compiled!), layouts => For(layouts).Compile(method, options));
        if (!ready)
            TierUp.Request(() => Promote(method, top, code));
        return compiled;
    }

    /// <summary>Whether the compile cache holds <paramref name="method"/>'s optimised code (a hint: a bad entry is compiled again).</summary>
    bool CachedTopTier(MethodInfo method, CompileOptions top) =>
        top.Cache && CompileCache.Enabled && CacheKey.Of(method, top, $"{Name}/{ParallelWorkers}", Layouts) is { } key && CompileCache.Holds(key.Hash);

    /// <summary>On the tier-up thread: the optimised code of <paramref name="method"/>, promoted into <paramref name="code"/> unless it was released meanwhile.</summary>
    void Promote(MethodInfo method, CompileOptions top, CompiledCode code)
    {
#pragma warning disable CA1031 // a top tier that does not compile leaves the quick code, which works, in place
        try
        {
            if (code.Released)
                return;
            (EntryCode better, SharedModule module) = CompileShared(method, top);
            if (!code.Promote(better.Address, module, better.Brief))
                module.Leave();
        }
        catch (Exception)
        {
        }
        finally
        {
            code.StayQuick();
        }
#pragma warning restore CA1031
    }

    readonly ConcurrentDictionary<CodeKey<MethodInfo, LayoutContext>, SpecialisingFunction> specialising = new();

    /// <summary>
    /// A method that takes functions: compiled per set of methods passed (<see cref="SpecialisingFunction"/>),
    /// each set's code owned by it; one per (method, options) until disposed.
    /// </summary>
    SpecialisingFunction Specialising(CodeKey<MethodInfo, LayoutContext> request)
    {
        SpecialisingFunction? made = null;
        made = specialising.GetOrAdd(request, k => new SpecialisingFunction(k.Method, functions => CompileBound(k.Method, k.Options, functions),
            () => specialising.TryRemove(new KeyValuePair<CodeKey<MethodInfo, LayoutContext>, SpecialisingFunction>(k, made!))));
        return made;
    }

    /// <summary>The code of <paramref name="method"/> for the host's <paramref name="functions"/> (not kept in the persistent cache: its key does not cover them).</summary>
    CpuCompiledFunction CompileBound(MethodInfo method, CompileOptions options, FunctionArguments functions)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        (EntryCode entry, SharedModule module) = CompileShared(method, options, functions);
        return new CpuCompiledFunction(method, entry, new CompiledCode(entry.Address, module, Layouts, entry.Brief), Runtime, Layouts,
            () => { }, layouts => For(layouts).CompileBound(method, options, functions));
    }

    /// <summary>Drops a released function from the cache (unless the entry is already another function), so the next Compile compiles again.</summary>
    void Forget(CodeKey<MethodInfo, LayoutContext> key, CpuCompiledFunction released)
    {
        if (cache.TryGetValue(key, out Lazy<CpuCompiledFunction>? held) && held.IsValueCreated && ReferenceEquals(held.Value, released))
            cache.TryRemove(new KeyValuePair<CodeKey<MethodInfo, LayoutContext>, Lazy<CpuCompiledFunction>>(key, held));
    }

    /// <summary>The host lowering for one compilation: callees compiled on first call get tokens for (callee, options, this target).</summary>
    /// <param name="options">The compilation's options.</param>
    /// <param name="destructors">Collects the layouts whose destructors the code calls (what a cache entry must have defined to link).</param>
    HostLowering Lowering(CompileOptions options, ICollection<JitClassType>? destructors = null) =>
        NewLowering(layout =>
            {
                destructors?.Add(layout); // lowering runs on the compiling thread alone
                return InstanceDestructors.NameOf(layout); // defined before the code is linked (see PrepareLink)
            },
            callee => LazyCallees.TokenOf(callee.Method!, options, this), options.NrtDebug);

    /// <summary>
    /// Frontend, lowering, optimisation, JIT: the addresses of the entry trampoline and of the entry
    /// itself (what slots of lazily compiled callers point at), and the module's name.
    /// </summary>
    /// <param name="method">The entry (a kernel when <paramref name="kernelLaunch"/>).</param>
    /// <param name="options">The compilation's options.</param>
    /// <param name="kernelLaunch">Compile <paramref name="method"/> as a kernel behind a launcher.</param>
    /// <param name="name">The module's name (its symbols' prefix); by default a new one for this process.</param>
    /// <param name="keep">
    /// When given, the module is compiled to an object file and linked the way a cache hit links it
    /// (<see cref="NativeImage"/>), then the object file is passed here with the layouts whose destructors it calls
    /// and whether the entry is brief (<see cref="BriefCode"/>).
    /// </param>
    /// <param name="functions">The methods the host passes to the entry's delegate and function-pointer parameters (see <see cref="FunctionArguments"/>).</param>
    internal (IrModule Ir, nint Address, nint Direct, string Name, IDisposable Code, bool Brief) CompileCode(MethodBase method, CompileOptions options, bool kernelLaunch = false,
        string? name = null, Action<IrModule, byte[], IReadOnlyCollection<JitClassType>, bool>? keep = null, FunctionArguments? functions = null)
    {
        PrepareJit(method);
        var destructors = new HashSet<JitClassType>();
        HostLowering lowering = Lowering(options, destructors);
        IrModule ir = CompileDriver.Frontend(method, options, lowering, kernelLaunch, functions);
        _ = Machine; // LLVM loaded by a plain call before the first call into it (see PrepareJit)
        using LlvmContext context = ir.Timings.Measure("LLVM context", LlvmContext.CreateThreadSafe);
        name ??= $"m{Interlocked.Increment(ref modules)}";
        TargetMachine machine = Quick(options) ? QuickMachine : Machine;
        LlvmModule module = CompileDriver.Lower(ir, new TargetDescriptor(lowering, machine), context, name, options, optimize: true);
        bool brief = ir.Timings.Measure("brief code", () => BriefCode.Is(module, HostLowering.EntrySymbol(ir, name)));
        try
        {
            // The quick tier's object is emitted by its own machine and loaded as a cache hit's is (never kept).
            (IDisposable code, nint direct, nint entry, byte[]? objectFile) = keep is null && machine == Machine
                ? LinkInJit(module, ir, name, destructors)
                : LinkObject(module, ir, name, destructors, machine);
            if (objectFile is not null && keep is not null)
                ir.Timings.Measure("cache: store", () => keep(ir, objectFile, destructors, brief));
            if (options.LazyCallees && !kernelLaunch)
                LazyCallees.Publish(method, options, this, direct);
            ir.Timings.Report($"{method.DeclaringType?.Name}.{method.Name} ({Name})");
            return (ir, entry, direct, name, code, brief);
        }
        catch (LlvmException e)
        {
            throw CompileDriver.Rejected(ir, e);
        }
    }

    /// <summary>
    /// What the code links against, defined: the runtime, and the destructors the code calls
    /// (lowered against their names alone), loaded or compiled. On a first compilation the
    /// preparation thread is already making both beside this one's lowering, optimisation and
    /// code generation.
    /// </summary>
    static JitEngine PrepareLink(IrModule ir, IReadOnlyCollection<JitClassType> destructors) =>
        ir.Timings.Measure("JIT: runtime and destructors", () =>
        {
            foreach (JitClassType layout in destructors)
                Destructors.SymbolOf(layout);
            return Jit;
        });

    /// <summary>Adds the module to the ORC JIT (which compiles it on first lookup).</summary>
    static (IDisposable, nint, nint, byte[]?) LinkInJit(LlvmModule module, IrModule ir, string name, IReadOnlyCollection<JitClassType> destructors)
    {
        JitEngine jit = PrepareLink(ir, destructors);
        return ir.Timings.Measure("JIT: code generation and link", () =>
        {
            JitCode added = jit.Add(module);
            return ((IDisposable)added, jit.Lookup(HostLowering.DirectSymbol(ir, name)), jit.Lookup(HostLowering.EntrySymbol(ir, name)), (byte[]?)null);
        });
    }

    /// <summary>
    /// Compiles the module to an object file and loads it without the JIT, as a cache hit would; the
    /// object file is returned for keeping. An object the loader refuses (which would make every
    /// later hit a refusal) is linked by the JIT instead and not returned.
    /// </summary>
    static (IDisposable, nint, nint, byte[]?) LinkObject(LlvmModule module, IrModule ir, string name, IReadOnlyCollection<JitClassType> destructors, TargetMachine machine)
    {
        byte[] objectFile;
        using (module)
            objectFile = ir.Timings.Measure("JIT: code generation", () => machine.EmitObject(module));
        JitEngine jit = PrepareLink(ir, destructors);
        return ir.Timings.Measure("JIT: link", () => Link(jit, objectFile, name, HostLowering.DirectSymbol(ir, name), HostLowering.EntrySymbol(ir, name)));
    }

    /// <summary>Loads the object file by the project's loader, or by the JIT when the loader refuses it (then it is not returned for keeping).</summary>
    static (IDisposable, nint, nint, byte[]?) Link(JitEngine jit, byte[] objectFile, string name, string direct, string entry)
    {
        NativeImage image;
        try
        {
            image = NativeImage.Load(objectFile, HostSymbols.Resolve);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidDataException)
        {
            CompileCache.NotKept(name, e.Message);
            JitCode added = jit.AddObject(objectFile, name);
            return (added, jit.Lookup(direct), jit.Lookup(entry), null);
        }
        return (image, image.Lookup(direct), image.Lookup(entry), objectFile);
    }

    /// <summary>What the compile driver needs of this target for one compilation: its lowering and the host machine.</summary>
    static TargetDescriptor Descriptor(HostLowering lowering) => new(lowering, Machine);

    /// <summary>A stage of the code (CpuCompiledFunction.Inspect has checked it is one of the host's).</summary>
    string Inspect(IrModule ir, string name, CompileOptions options, Stage stage) =>
        CompileDriver.Inspect(ir, Descriptor(Lowering(options)), name, options, stage);

    /// <summary>Forgets this target's compiled functions (their code stays valid: delegates keep working).</summary>
    public void Dispose()
    {
        disposed = true;
        cache.Clear();
        specialising.Clear();
        launchers.Clear();
        plainLaunchers.Clear();
        GC.SuppressFinalize(this);
    }
}
