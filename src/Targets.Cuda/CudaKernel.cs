using System.Runtime.InteropServices;
using Targets.Cuda.Device;
using Targets.Cuda.Lowering;
using Targets.Cuda.Simulator;
using Targets.Frontend.Ir;
using Targets.Llvm;
using Targets.Llvm.Lowering;

namespace Targets.Cuda;

/// <summary>
/// One method compiled for one entry shape, ready to run: on the simulator its JIT-compiled
/// trampoline, on a device its PTX (loaded into the device's context on first use). Runs are
/// the same on both: zero an error slot, flatten the arguments (<see cref="KernelArguments"/>),
/// start the grid, copy arrays back, raise what a thread raised.
/// </summary>
internal sealed unsafe class CudaKernel
{
    static readonly Lazy<JitEngine> SimulatorEngine = new(() =>
    {
        JitEngine jit = JitEngine.Create();
        SimulatorRuntime.Install(jit);
        return jit;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The simulator's code, kept for the process: a launch may still be running when its target is disposed.</summary>
    readonly JitCode? code;
    readonly nint trampoline;
    readonly object gate = new();
    nint function;

    CudaKernel(IrModule ir, CudaEntry entry, string name, string? ptx, JitCode? code, nint trampoline)
    {
        Ir = ir;
        Entry = entry;
        Name = name;
        Ptx = ptx;
        this.code = code;
        this.trampoline = trampoline;
        // A block whose threads meet at barriers or share memory must run its threads together.
        Cooperative = ir.Functions.SelectMany(f => f.Blocks).SelectMany(b => b.Instructions)
            .Any(i => i.Op == Opcode.Intrinsic && (i.Intrinsic is IntrinsicKind.SyncThreads or IntrinsicKind.SharedArray || IntrinsicInfo.IsShuffle(i.Intrinsic)));
    }

    public IrModule Ir { get; }

    public CudaEntry Entry { get; }

    /// <summary>The module's name (the kernel symbol is <see cref="CudaEntry.KernelSymbol"/> of it).</summary>
    public string Name { get; }

    /// <summary>The device's PTX (null on the simulator).</summary>
    public string? Ptx { get; }

    /// <summary>Whether the threads of a block must run together (the kernel uses barriers, shared memory or warp shuffles).</summary>
    public bool Cooperative { get; }

    /// <summary>Compiles for the device: PTX, not yet loaded; from the compile cache when it holds it (<see cref="PtxCache"/>: no LLVM then).</summary>
    public static CudaKernel ForDevice(IrModule ir, LayoutContext layouts, CudaEntry entry, PtxOptions ptx, CudaOptions cuda, CompileOptions options)
    {
        string? key = ir.Timings.Measure("cache: key", () => PtxCache.KeyOf(ir, entry, ptx, cuda, options));
        if (key is not null && ir.Timings.Measure("cache: read entry", () => PtxCache.Load(key)) is ({ } cachedName, { } cachedPtx))
            return new CudaKernel(ir, entry, cachedName, cachedPtx, null, 0);
        string name = CudaCompiler.NewModuleName();
        string text = CudaCompiler.Device(ir, layouts, entry, name, ptx, cuda, options, Stage.Ptx);
        if (key is not null)
            ir.Timings.Measure("cache: store", () => PtxCache.Store(key, name, text));
        return new CudaKernel(ir, entry, name, text, null, 0);
    }

    /// <summary>Compiles for the simulator: host code in the simulator's JIT.</summary>
    public static CudaKernel ForSimulator(IrModule ir, LayoutContext layouts, CudaEntry entry, CudaOptions cuda, CompileOptions options)
    {
        string name = CudaCompiler.NewModuleName();
        JitEngine jit = SimulatorEngine.Value;
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        LlvmModule module = CudaCompiler.Simulated(ir, layouts, entry, name, context, jit.Optimizer, cuda, options);
        try
        {
            JitCode code = ir.Timings.Measure("JIT: code generation and link", () => jit.Add(module));
            return new CudaKernel(ir, entry, name, null, code, jit.Lookup(CudaLowering.SimulatorSymbol(name)));
        }
        catch (LlvmException e)
        {
            module.Dispose();
            throw CompileDriver.Rejected(ir, e);
        }
    }

    /// <summary>
    /// Runs the grid with <paramref name="leading"/> (count/width/height of an index kernel) and the
    /// user's <paramref name="args"/>; returns a function's result.
    /// </summary>
    public object? Run(DeviceSession? session, LayoutContext layouts, Dim3 grid, Dim3 block, long[] leading, object?[] args)
    {
        if (session is null)
            return RunWith(null, layouts, grid, block, leading, args);
        lock (session.LaunchGate)
        {
            ObjectDisposedException.ThrowIf(session.Disposed, typeof(CudaTarget)); // disposed while this launch waited
            return RunWith(session, layouts, grid, block, leading, args);
        }
    }

    object? RunWith(DeviceSession? session, LayoutContext layouts, Dim3 grid, Dim3 block, long[] leading, object?[] args)
    {
        string method = Ir.DisplayName;
        using LaunchMemory memory = session is null ? new SimulatorMemory() : new DeviceMemory(session);
        nint error = memory.ErrorSlot();
        nint result = Entry.Kind == CudaEntryKind.Function ? memory.Zeroed(8) : 0;
        List<long> slots = [error, .. Entry.Kind == CudaEntryKind.Function ? [result] : leading];
        var byValue = new List<int>();
        int leadingSlots = slots.Count;
        slots.AddRange(KernelArguments.Flatten(method, Ir.Entry, Entry, args, memory, layouts, byValue, arg => DeviceMemoryOf(arg, session, method)));
        long[] values = [.. slots];
        fixed (long* p = values)
        {
            if (session is null)
                SimulatedGrid.Run((delegate* unmanaged<nint, void>)trampoline, (nint)p, grid, block, Cooperative);
            else
            {
                // cuLaunchKernel takes a pointer to each parameter's value: a slot's, or for a struct
                // passed by value the address of its bytes, which its slot holds.
                nint[] pointers = new nint[values.Length];
                for (int n = 0; n < values.Length; n++)
                    pointers[n] = (nint)(p + n);
                foreach (int n in byValue)
                    pointers[leadingSlots + n] = (nint)values[leadingSlots + n];
                fixed (nint* arguments = pointers)
                    session.Launch(FunctionOn(session), grid, block, (nint)arguments);
            }
        }
        memory.CopyBack();
        if (KernelArguments.Error(memory, error, Entry) is { } raised)
            throw raised;
        if (Entry.Kind != CudaEntryKind.Function)
            return null;
        Span<byte> bytes = stackalloc byte[8];
        memory.Read(result, bytes);
        return KernelArguments.Result(Ir.Entry.ReturnType, bytes);
    }

    /// <summary>
    /// The device address and length of an argument already in device memory: a <see cref="DeviceArray{T}"/>,
    /// or an ILGPU <c>MemoryBuffer1D&lt;T, Stride1D.Dense&gt;</c> / <c>ArrayView1D&lt;T, Stride1D.Dense&gt;</c>; null for anything else.
    /// </summary>
    static (nint Data, long Length)? DeviceMemoryOf(object arg, DeviceSession? session, string method)
    {
        (nint, long)? found = arg switch
        {
            IDeviceArray device => (device.DevicePointer, device.Length),
            _ => IlgpuInterop.AddressOf(arg),
        };
        if (found is not null && session is null)
            throw new ArgumentException($"{method}: {arg.GetType().Name} lives in a device's memory; the simulator takes .NET arrays.", nameof(arg));
        return found;
    }

    /// <summary>The threads per block the device suggests for this kernel.</summary>
    public int SuggestedBlockSize(DeviceSession session) => session.SuggestedBlockSize(FunctionOn(session));

    nint FunctionOn(DeviceSession session)
    {
        lock (gate)
        {
            if (function == 0)
                function = session.LoadKernel(Ptx!, CudaEntry.KernelSymbol(Name));
            return function;
        }
    }
}

/// <summary>What a <see cref="DeviceArray{T}"/> is to a launch, whatever its element type.</summary>
internal interface IDeviceArray
{
    nint DevicePointer { get; }

    long Length { get; }
}
