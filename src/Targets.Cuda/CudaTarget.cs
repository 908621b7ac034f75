using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using Targets.Cuda.Device;
using Targets.Cuda.Lowering;
using Targets.Llvm.Lowering;
using Targets.Frontend;
using Targets.Frontend.Ir;
using Targets.Llvm;

namespace Targets.Cuda;

/// <summary>
/// The cuda target: C# kernels through the shared frontend and <see cref="CudaLowering"/> to PTX,
/// run on an NVIDIA GPU through ILGPU's CUDA runtime, or — <see cref="Simulator"/> — the same
/// kernels on the CPU with CUDA's semantics (grid coordinates, barriers that really block, shared
/// memory per block, atomics). Jit classes are immutable values here (<see cref="InstanceRepresentation.ByValue"/>);
/// nothing is reference-counted and nothing allocated on the device. <c>Compile</c> and
/// <c>Inspect(Stage.Ptx)</c> need no device; a launch without one throws saying why. Thread-safe;
/// each method is compiled once per shape and options.
/// </summary>
public sealed class CudaTarget : ITarget, IDisposable
{
    readonly bool simulated;
    readonly Lazy<DeviceSession>? session;
    /// <summary>Kernels and functions by method, options, shape, and the functions the host passes (null for a method that takes none).</summary>
    readonly ConcurrentDictionary<(MethodInfo, CompileOptions, bool Launch, FunctionArguments? Functions), Lazy<CudaKernel>> kernels = new();
    bool disposed;

    /// <summary>A target for the first CUDA device (or none: compiling and inspecting PTX still work).</summary>
    public CudaTarget(CudaOptions? options = null)
        : this(options ?? CudaOptions.Default, simulated: false)
    {
    }

    CudaTarget(CudaOptions options, bool simulated)
    {
        Options = options;
        this.simulated = simulated;
        if (!simulated)
            session = new Lazy<DeviceSession>(() => DeviceSession.Open(0), LazyThreadSafetyMode.ExecutionAndPublication);
        if (options.BlockSize is < 0 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(options), options.BlockSize, "Expected a block size of 1 to 1024 threads, or 0 to let the target choose.");
        Ptx = ChoosePtx(options);
    }

    /// <summary>
    /// A target that runs kernels on the CPU with CUDA's semantics, for machines without a GPU: the
    /// threads of a block interleave at <c>Cuda.SyncThreads()</c>, and what a device would get
    /// silently wrong — a barrier some threads skip, an index out of bounds — is reported with the
    /// block and thread. It is for correctness, not speed.
    /// </summary>
    public static CudaTarget Simulator(CudaOptions? options = null) => new(options ?? CudaOptions.Default, simulated: true);

    /// <summary>
    /// Whether <paramref name="e"/> is one of the cuda target's refusals by design (its code is a
    /// <c>TGT3xxx</c>, see <see cref="DiagnosticCode"/>): allocation on the device, stores into
    /// immutable instances, array or instance fields made in device code, instances returned from
    /// callees that do not inline, results that cannot come back, ref parameters of kernels. Tools
    /// that run the same C# on every target (the differential corpus, the fuzzer) use it to tell
    /// these from compiler bugs.
    /// </summary>
    public static bool IsRefusedByDesign(CompilationException e) => e is not null && DiagnosticCodes.IsCudaRefusal(e.Code);

    /// <summary>Whether a CUDA device can run kernels here.</summary>
    public static bool IsAvailable => CudaDriver.Devices.Count > 0;

    /// <summary>The CUDA devices present (empty when none: see <see cref="Status"/>).</summary>
    public static IReadOnlyList<CudaDeviceInfo> Devices => CudaDriver.Devices;

    /// <summary>Why there is no device (driver missing, no device, driver failed), or which there are.</summary>
    public static string Status => CudaDriver.Reason;

    public string Name => simulated ? "cuda-simulator" : "cuda";

    /// <summary>Whether this target runs kernels on the CPU (<see cref="Simulator"/>).</summary>
    public bool IsSimulator => simulated;

    public CudaOptions Options { get; }

    /// <summary>The architecture and PTX ISA the PTX is generated for.</summary>
    public PtxOptions Ptx { get; }

    /// <summary>Jit class layouts of this target's code: instances are immutable values.</summary>
    public LayoutContext Layouts { get; } = new(InstanceRepresentation.ByValue);

    /// <summary>
    /// The architecture: the option, else the first device's (capped at what LLVM 19 knows), else
    /// sm_70. The ISA: the option, else the architecture's minimum (which any driver that knows the
    /// architecture loads).
    /// </summary>
    static PtxOptions ChoosePtx(CudaOptions options)
    {
        int sm = options.ComputeCapability;
        if (sm == 0)
        {
            int device = CudaDriver.Devices.Count > 0 ? CudaDriver.Devices[0].ComputeCapability : 70;
            sm = PtxOptions.MinimumPtxBySm.Keys.Where(k => k <= device).DefaultIfEmpty(70).Max();
        }
        var ptx = new PtxOptions { Sm = sm, PtxVersion = options.PtxVersion };
        ptx.Validate();
        if (CudaDriver.Devices.Count > 0 && ptx.EffectivePtxVersion > MaxPtxOf(CudaDriver.Devices[0].DriverVersion))
            throw new ArgumentException($"PTX ISA {ptx.EffectivePtxVersion / 10}.{ptx.EffectivePtxVersion % 10} is newer than this driver (CUDA {CudaDriver.Devices[0].DriverVersion / 10}.{CudaDriver.Devices[0].DriverVersion % 10}) loads; " +
                $"use at most {MaxPtxOf(CudaDriver.Devices[0].DriverVersion) / 10}.{MaxPtxOf(CudaDriver.Devices[0].DriverVersion) % 10}, or 0 for the architecture's minimum.", nameof(options));
        return ptx;
    }

    /// <summary>The newest PTX ISA a driver of CUDA version <paramref name="driver"/> (·10) loads: CUDA 11.x loads 7.x, 12.x loads 8.x.</summary>
    internal static int MaxPtxOf(int driver) => driver >= 120 ? 80 + driver % 10 : driver >= 110 ? 70 + driver % 10 : 60 + Math.Max(0, driver - 100) / 10;

    public CompiledFunction Compile(Delegate method, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Target is not null)
            throw new ArgumentException($"Expected a static method; {method.Method.Name} is bound to an instance (lambdas compile to instance methods of a hidden class: write a static method).", nameof(method));
        return Compile(method.Method, options);
    }

    public CompiledFunction Compile(MethodInfo method, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(disposed, this);
        FrontendCompiler.ThrowIfOpen(method, nameof(method));
        FrontendCompiler.ThrowIfSpansCross(method, spanParameters: false);
        FrontendCompiler.ThrowIfCollectionsCross(method, copied: false);
        if (method is DynamicMethod)
            throw new ArgumentException("Expected a method of a loaded assembly; dynamic methods have no readable IL.", nameof(method));
        CompileOptions key = options ?? CompileOptions.Default;
        if (method.ReturnType != typeof(void) && !method.ReturnType.IsPrimitive)
            throw new CompilationException(CompilationErrorKind.UnsupportedType, CompileDriver.Describe(method), $"return type {method.ReturnType.Name}", -1, null, 0,
                "a function run on cuda returns a number or nothing (arrays and instances made on the device cannot come back)", code: DiagnosticCode.CudaResultType);
        if (FunctionArguments.Takes(method))
            return new SpecialisingFunction(method, functions => new CudaCompiledFunction(this, method, KernelOf(method, key, launch: false, functions), key));
        return new CudaCompiledFunction(this, method, KernelOf(method, key, launch: false), key);
    }

    /// <param name="method">The kernel or function.</param>
    /// <param name="options">The compilation's options.</param>
    /// <param name="launch">Compiled to be launched (a kernel), else to be invoked (a function).</param>
    /// <param name="functions">The methods the host passes to its delegate and function-pointer parameters (see <see cref="FunctionArguments"/>).</param>
    internal CudaKernel KernelOf(MethodInfo method, CompileOptions options, bool launch, FunctionArguments? functions = null)
    {
        var key = (method, options, launch, functions);
        Lazy<CudaKernel> entry = kernels.GetOrAdd(key, k => new Lazy<CudaKernel>(() =>
        {
            CudaEntry shape = CudaCompiler.EntryOf(k.Item1, k.Launch);
            IrModule ir = CudaCompiler.Frontend(k.Item1, k.Item2, Layouts, shape, Options, simulated, k.Functions);
            return simulated
                ? CudaKernel.ForSimulator(ir, Layouts, shape, Options, k.Item2)
                : CudaKernel.ForDevice(ir, Layouts, shape, Ptx, Options, k.Item2);
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            kernels.TryRemove(new KeyValuePair<(MethodInfo, CompileOptions, bool, FunctionArguments?), Lazy<CudaKernel>>(key, entry));
            throw;
        }
    }

    /// <summary>
    /// A kernel as a launch compiles it (its <c>.entry</c> with the index guard or for a grid), at
    /// <paramref name="stage"/>: <see cref="Stage.Ir"/>, <see cref="Stage.Llvm"/>,
    /// <see cref="Stage.OptimizedLlvm"/>, <see cref="Stage.Ptx"/> or <see cref="Stage.Timings"/>. Needs no device.
    /// A kernel that takes delegates or function pointers is compiled for <paramref name="functions"/>, one per such
    /// parameter in order, as a launch passing them compiles it.
    /// </summary>
    public string InspectKernel(Delegate kernel, Stage stage = Stage.Ptx, params object?[] functions)
    {
        MethodInfo method = StaticKernel(kernel, []);
        ArgumentNullException.ThrowIfNull(functions);
        FunctionArguments? passed = FunctionArguments.Takes(method) || functions.Length > 0 ? FunctionArguments.Of(method, functions) : null;
        CudaKernel compiled = KernelOf(method, CompileOptions.Default, launch: true, passed);
        return stage switch
        {
            Stage.Ir => compiled.Ir.ToString(),
            Stage.Timings => compiled.Ir.Timings.ToString(),
            Stage.Ptx when compiled.Ptx is { } ptx => ptx,
            Stage.Llvm or Stage.OptimizedLlvm or Stage.Ptx =>
                CudaCompiler.Device(compiled.Ir, Layouts, compiled.Entry, CudaCompiler.NewModuleName(), Ptx, Options, CompileOptions.Default, stage),
            _ => throw new ArgumentException($"The cuda target has stages Ir, Llvm, OptimizedLlvm, Ptx and Timings; {stage} is a host stage.", nameof(stage)),
        };
    }

    /// <summary>The device session, opened on first use; throws saying why there is no device.</summary>
    internal DeviceSession? Session => session?.Value;

    /// <summary>Runs a compiled kernel or function with the given grid.</summary>
    internal object? Run(CudaKernel kernel, Dim3 grid, Dim3 block, long[] leading, object?[] args)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return kernel.Run(Session, Layouts, grid, block, leading, args);
    }

    public void Launch(Delegate kernel, int extent, params object?[] args) => LaunchIndexed(kernel, 1, extent, 1, 1, args);

    public void Launch(Delegate kernel, long extent, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (extent > int.MaxValue && !KernelLauncher.TakesLongIndex(kernel.Method))
            throw new ArgumentOutOfRangeException(nameof(extent), extent, $"{kernel.Method.Name} takes an Index1D, which counts at most int.MaxValue items; take a LongIndex1D for more.");
        LaunchIndexed(kernel, 1, extent, 1, 1, args);
    }

    public void Launch(Delegate kernel, (int X, int Y) extent, params object?[] args) => LaunchIndexed(kernel, 2, extent.X, extent.Y, 1, args);

    public void Launch(Delegate kernel, (int X, int Y, int Z) extent, params object?[] args) => LaunchIndexed(kernel, 3, extent.X, extent.Y, extent.Z, args);

    void LaunchIndexed(Delegate kernel, int rank, long width, int height, int depth, object?[] args)
    {
        MethodInfo method = StaticKernel(kernel, args);
        if (width < 0 || height < 0 || depth < 0)
            throw new ArgumentOutOfRangeException(nameof(kernel), $"Extents are sizes, zero or more; got ({width}, {height}, {depth}).");
        int indexRank = method.GetParameters() is [{ ParameterType: var first }, ..] ? KernelLauncher.IndexRank(first) : 0;
        if (indexRank == 0)
            throw new ArgumentException($"{CompileDriver.Describe(method)} has no Index1D/2D/3D parameter: launch it with LaunchGrid(kernel, grid, block, …), which reads Cuda.ThreadIdx and the like.", nameof(kernel));
        if (indexRank != rank)
            throw new ArgumentException($"{CompileDriver.Describe(method)} takes an Index{indexRank}D; launch it with a {indexRank}-dimensional extent, not a {rank}-dimensional one.", nameof(kernel));
        // A kernel that takes functions is compiled for those passed; it is given the other arguments.
        FunctionArguments? functions = null;
        if (FunctionArguments.Takes(method))
            (functions, args) = FunctionArguments.Split(method, args, skip: 1);
        CudaKernel compiled = KernelOf(method, CompileOptions.Default, launch: true, functions);
        if (width * height * depth == 0)
            return;
        int threads = Options.BlockSize > 0 ? Options.BlockSize : simulated ? 64 : compiled.SuggestedBlockSize(Session!);
        Dim3 block = BlockShape(rank, threads);
        long Blocks(long extent, int size) => (extent + size - 1) / size;
        var grid = (X: Blocks(width, block.X), Y: Blocks(height, block.Y), Z: Blocks(depth, block.Z));
        if (grid.X > int.MaxValue || grid.Y > 65535 || grid.Z > 65535)
            throw new ArgumentOutOfRangeException(nameof(kernel), $"({width}, {height}, {depth}) in blocks of {block} needs a grid of ({grid.X}, {grid.Y}, {grid.Z}) blocks; CUDA allows (2^31-1, 65535, 65535): use larger blocks (CudaOptions.BlockSize) or another shape.");
        long[] extents = rank == 1 ? [width] : rank == 2 ? [width, height] : [width, height, depth];
        Run(compiled, new Dim3((int)grid.X, (int)grid.Y, (int)grid.Z), block, extents, args);
    }

    /// <summary>
    /// A block of <paramref name="threads"/> shaped for an index of <paramref name="rank"/>: a row of
    /// 32 (a warp, for coalesced access along X) times what is left in Y (and Z).
    /// </summary>
    static Dim3 BlockShape(int rank, int threads)
    {
        if (rank == 1 || threads % 32 != 0)
            return new Dim3(threads);
        int rows = threads / 32;
        if (rank == 2)
            return new Dim3(32, rows);
        int z = rows % 2 == 0 ? 2 : 1;
        return new Dim3(32, rows / z, z);
    }

    /// <summary>
    /// Runs a kernel written CUDA's way — a static void method with no index parameter that reads
    /// <c>Cuda.ThreadIdx</c>, <c>Cuda.BlockIdx</c> and the like — on <paramref name="grid"/> blocks of
    /// <paramref name="block"/> threads (at most 1024 a block). Every thread runs; guard the
    /// bounds yourself, as in CUDA C.
    /// </summary>
    public void LaunchGrid(Delegate kernel, Dim3 grid, Dim3 block, params object?[] args)
    {
        MethodInfo method = StaticKernel(kernel, args);
        // The device's limits, checked here so the simulator refuses what a device would.
        if (grid.X < 1 || grid.Y is < 1 or > 65535 || grid.Z is < 1 or > 65535 || block.X < 1 || block.Y < 1 || block.Z is < 1 or > 64 || block.Count > 1024)
            throw new ArgumentOutOfRangeException(nameof(block),
                $"Expected a grid of (1…2^31-1, 1…65535, 1…65535) blocks of 1 to 1024 threads (Z at most 64), as CUDA allows; got grid {grid}, block {block}.");
        if (method.GetParameters().Any(p => KernelLauncher.IndexRank(p.ParameterType) > 0))
            throw new ArgumentException($"{CompileDriver.Describe(method)} takes an index: launch it with Launch(kernel, extent, …).", nameof(kernel));
        if (method.ReturnType != typeof(void))
            throw new CompilationException(CompilationErrorKind.UnsupportedConstruct, CompileDriver.Describe(method), "a kernel signature", -1, null, 0, "a kernel returns void");
        FunctionArguments? functions = null;
        if (FunctionArguments.Takes(method))
            (functions, args) = FunctionArguments.Split(method, args);
        Run(KernelOf(method, CompileOptions.Default, launch: true, functions), grid, block, [], args);
    }

    MethodInfo StaticKernel(Delegate kernel, object?[] args)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (kernel.Target is not null)
            throw new ArgumentException($"Expected a static kernel method; {kernel.Method.Name} is bound to an instance.", nameof(kernel));
        return kernel.Method;
    }

    /// <summary>
    /// The ILGPU accelerator of this target's device, for running ILGPU kernels on the same memory
    /// (a <see cref="DeviceArray{T}"/>'s <c>View</c>); throws saying why when there is no device.
    /// </summary>
    public ILGPU.Runtime.Cuda.CudaAccelerator Accelerator =>
        (Session ?? throw new InvalidOperationException("The simulator has no device: its kernels run on the CPU.")).Accelerator;

    /// <summary>A zeroed array of <paramref name="length"/> elements on the device.</summary>
    public DeviceArray<T> Allocate<T>(long length) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        DeviceSession device = Session ?? throw new InvalidOperationException("The simulator has no device memory: pass .NET arrays to its kernels.");
        return new DeviceArray<T>(device.AllocateZeroed<T>(length));
    }

    /// <summary>A copy of <paramref name="data"/> on the device.</summary>
    public DeviceArray<T> ToDevice<T>(T[] data) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        DeviceArray<T> array = Allocate<T>(data.LongLength);
        array.CopyFrom(data);
        return array;
    }

    /// <summary>
    /// Forgets compiled kernels and closes the device context. Simulator code stays in the process
    /// (a launch still running on another thread must not lose its code).
    /// </summary>
    public void Dispose()
    {
        disposed = true;
        kernels.Clear();
        if (session is { IsValueCreated: true })
        {
            lock (session.Value.LaunchGate) // a launch running on another thread finishes first
                session.Value.Dispose();
        }
    }
}
