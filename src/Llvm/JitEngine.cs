using Targets.Llvm.Interop;

namespace Targets.Llvm;

/// <summary>
/// An ORC LLJIT for the host: modules built in a <see cref="LlvmContext.CreateThreadSafe"/>
/// context are optimised by <see cref="Optimizer"/> (host CPU and features, so the vectoriser
/// uses what the machine has), added, and looked up by name. Adding and lookup are thread-safe
/// (serialised: code generation happens during lookup, with one target machine).
/// Code stays until the <see cref="JitCode"/> returned by <see cref="Add"/> or the engine is disposed.
/// The LLJIT itself is made on first use (what it is given to define before is kept until then):
/// a compiler that emits object files and links them itself needs only <see cref="Optimizer"/>,
/// and making an LLJIT is a few milliseconds of a fresh process's first compilation.
/// </summary>
public sealed class JitEngine : IDisposable
{
    readonly Lock gate = new();
    readonly HashSet<JitCode> live = [];
    readonly List<(string Name, nint Address)> absolutes = [];
    LLVMOrcLLJITRef jit;
    bool disposed;

    JitEngine(TargetMachine optimizer) => Optimizer = optimizer;

    /// <summary>The host target machine modules are configured and optimised with before they are added.</summary>
    public TargetMachine Optimizer { get; }

    /// <summary>Creates a JIT whose code generator uses the host CPU name and features.</summary>
    public static JitEngine Create() => new(TargetMachine.CreateHost());

    /// <summary>The LLJIT, made on first use with every absolute symbol defined so far; under <c>gate</c>.</summary>
    LLVMOrcLLJITRef Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (jit.IsNull)
            {
                TargetMachine forCodegen = TargetMachine.CreateHost();
                LLVMOrcLLJITBuilderRef builder = LlvmApi.LLVMOrcCreateLLJITBuilder();
                // Both calls take ownership: the builder takes the JTMB, which took the target machine.
                LlvmApi.LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder,
                    LlvmApi.LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(forCodegen.Release()));
                LlvmException.ThrowIfError(LlvmApi.LLVMOrcCreateLLJIT(out LLVMOrcLLJITRef made, builder), "create an LLJIT");
                jit = made;
                foreach ((string name, nint address) in absolutes)
                    Define(name, address);
                absolutes.Clear();
            }
            return jit;
        }
    }

    /// <summary>The JIT's triple.</summary>
    public string Triple
    {
        get
        {
            lock (gate)
                return LlvmStrings.Borrow(LlvmApi.LLVMOrcLLJITGetTripleString(Handle));
        }
    }

    /// <summary>
    /// Verifies the module and adds it to the JIT (which takes it). A broken module is an
    /// <see cref="LlvmException"/> and is not added. The module must come from a thread-safe context.
    /// </summary>
    public JitCode Add(LlvmModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        LLVMOrcThreadSafeContextRef tsc = module.Context.ThreadSafe;
        if (tsc.IsNull)
            throw new ArgumentException("Expected a module created in LlvmContext.CreateThreadSafe().", nameof(module));
        module.Verify();
        lock (gate)
        {
            LLVMOrcLLJITRef handle = Handle; // made (or refused) before the module is handed over
            LLVMOrcThreadSafeModuleRef tsm = LlvmApi.LLVMOrcCreateNewThreadSafeModule(module.Release(), tsc);
            return Track("add a module to the JIT", tracker => LlvmApi.LLVMOrcLLJITAddLLVMIRModuleWithRT(handle, tracker, tsm));
        }
    }

    /// <summary>
    /// Adds native code already compiled for this JIT's host (an object file from
    /// <see cref="TargetMachine.EmitObject"/> of <see cref="Optimizer"/>), linked against the
    /// JIT's symbols as a module would be: what a persistent compile cache loads instead of
    /// compiling. The bytes must be an intact object file for this triple — a cache checks its
    /// entries (checksum) before handing them here. Released like any code (<see cref="JitCode"/>).
    /// </summary>
    public unsafe JitCode AddObject(ReadOnlySpan<byte> objectFile, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (objectFile.Length < 4 || objectFile[0] != 0x7F || objectFile[1] != (byte)'E' || objectFile[2] != (byte)'L' || objectFile[3] != (byte)'F')
            throw new ArgumentException($"Expected an ELF object file for {name}.", nameof(objectFile));
        lock (gate)
        {
            LLVMOrcLLJITRef handle = Handle; // made (or refused) before the buffer is
            LLVMMemoryBufferRef buffer;
            fixed (byte* bytes = objectFile)
                buffer = LlvmApi.LLVMCreateMemoryBufferWithMemoryRangeCopy(bytes, (nuint)objectFile.Length, name);
            return Track("add an object file to the JIT", tracker => LlvmApi.LLVMOrcLLJITAddObjectFileWithRT(handle, tracker, buffer));
        }
    }

    /// <summary>Adds code under a resource tracker of its own (so it can be removed alone); under <c>gate</c>.</summary>
    JitCode Track(string what, Func<LLVMOrcResourceTrackerRef, LLVMErrorRef> add)
    {
        LLVMOrcResourceTrackerRef tracker = LlvmApi.LLVMOrcJITDylibCreateResourceTracker(LlvmApi.LLVMOrcLLJITGetMainJITDylib(Handle));
        string? message = LlvmStrings.TakeError(add(tracker));
        if (message is not null)
        {
            LlvmApi.LLVMOrcReleaseResourceTracker(tracker);
            throw new LlvmException(what, message);
        }
        var code = new JitCode(this, tracker);
        live.Add(code);
        return code;
    }

    /// <summary>
    /// The address of a defined symbol, compiling it on first lookup. An unknown symbol or a
    /// code generation failure is an <see cref="LlvmException"/> with LLVM's message.
    /// </summary>
    public nint Lookup(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        // A lookup compiles on the calling thread with the JIT's one target machine, which is not
        // safe for concurrent use: two threads materialising at once corrupt the MC layer.
        lock (gate)
        {
            LLVMErrorRef error = LlvmApi.LLVMOrcLLJITLookup(Handle, out ulong address, name);
            LlvmException.ThrowIfError(error, $"look up '{name}'");
            return (nint)address;
        }
    }

    /// <summary>Makes <paramref name="name"/> resolve to a host address (a runtime function, a callback).</summary>
    public unsafe void DefineAbsolute(string name, nint address)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (address == 0)
            throw new ArgumentException("Expected a non-null address.", nameof(address));
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (jit.IsNull)
                absolutes.Add((name, address)); // defined when the LLJIT is made
            else
                Define(name, address);
        }
    }

    /// <summary>Defines an absolute symbol in the LLJIT; under <c>gate</c>, once it exists.</summary>
    unsafe void Define(string name, nint address)
    {
        LLVMOrcExecutionSessionRef session = LlvmApi.LLVMOrcLLJITGetExecutionSession(jit);
        var pair = new OrcSymbolMapPair
        {
            Name = LlvmApi.LLVMOrcExecutionSessionIntern(session, name),
            Address = (ulong)address,
            GenericFlags = 1 | 4, // exported | callable
        };
        LLVMOrcMaterializationUnitRef unit = LlvmApi.LLVMOrcAbsoluteSymbols(&pair, 1);
        LlvmException.ThrowIfError(LlvmApi.LLVMOrcJITDylibDefine(LlvmApi.LLVMOrcLLJITGetMainJITDylib(jit), unit), $"define '{name}'");
    }

    internal void Remove(JitCode code, LLVMOrcResourceTrackerRef tracker)
    {
        lock (gate)
        {
            if (!live.Remove(code) || jit.IsNull)
                return;
            string? message = LlvmStrings.TakeError(LlvmApi.LLVMOrcResourceTrackerRemove(tracker));
            LlvmApi.LLVMOrcReleaseResourceTracker(tracker);
            if (message is not null)
                throw new LlvmException("remove JIT code", message);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
                return;
            disposed = true;
            Optimizer.Dispose();
            if (jit.IsNull)
                return;
            // A tracker's destructor reaches into the execution session: release them first.
            foreach (JitCode code in live)
                LlvmApi.LLVMOrcReleaseResourceTracker(code.Tracker);
            live.Clear();
            string? message = LlvmStrings.TakeError(LlvmApi.LLVMOrcDisposeLLJIT(jit));
            jit = default;
            if (message is not null)
                throw new LlvmException("dispose the JIT", message);
        }
    }
}

/// <summary>Code added to a <see cref="JitEngine"/>; disposing it removes the code (its addresses become invalid).</summary>
public sealed class JitCode : IDisposable
{
    readonly JitEngine engine;

    internal JitCode(JitEngine engine, LLVMOrcResourceTrackerRef tracker)
    {
        this.engine = engine;
        Tracker = tracker;
    }

    internal LLVMOrcResourceTrackerRef Tracker { get; }

    public void Dispose() => engine.Remove(this, Tracker);
}
