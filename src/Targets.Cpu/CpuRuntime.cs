using System.Runtime.InteropServices;
using Targets.Cache;
using Targets.Cpu.Cache;
using Targets.Cpu.Host;
using Targets.Llvm;
using Targets.Runtime;

namespace Targets.Cpu;

/// <summary>
/// The NRT runtime installed in the process: its object file loaded — the one built with the
/// compiler (<see cref="NrtRuntimeObject"/>, embedded in this assembly) where the build made one of
/// this runtime's IR and the process is x86-64 Linux, else from the compile cache or compiled from its
/// IR (see <see cref="CachedObject"/>) — its state and trace symbols bound to the
/// process-wide <see cref="NrtState"/> through <see cref="HostSymbols"/>, and the addresses of its
/// entry points for host code (stubs that release returned arrays, tests).
/// </summary>
public sealed unsafe class CpuRuntime
{
    CpuRuntime(Func<JitEngine> compiler, CompileTimings timings)
    {
        HostSymbols.Define(NrtRuntimeIr.State, (nint)NrtState.Pointer);
        HostSymbols.Define(NrtRuntimeIr.Trace, (nint)(delegate* unmanaged<int, nint, long, void>)&Trace);
        HostSymbols.Define(NrtRuntimeIr.AdoptArray, (nint)(delegate* unmanaged<nint, int, nint>)&AdoptArray);
        HostSymbols.Define(Host.HostLowering.ResolveCallee, (nint)(delegate* unmanaged<long, nint, nint>)&LazyCallees.Resolve);
        Func<string, nint>? symbol = null;
        if (timings.Measure("NRT runtime (built with the compiler): read", BuiltWithCompiler) is { } built)
        {
            try
            {
                symbol = CachedObject.Load(built, NrtRuntimeObject.Module, compiler, timings, "NRT runtime (built with the compiler)");
                Prebuilt = true;
            }
            catch (Exception e) when (e is NotSupportedException or InvalidDataException)
            {
                CompileCache.Warn($"the NRT runtime built with the compiler could not be loaded ({e.Message}); compiling it");
            }
        }
        symbol ??= CachedObject.Load(CacheKeyHash, NrtRuntimeObject.Module, () => NrtRuntimeObject.Compile(compiler().Optimizer, timings), compiler, timings, "NRT runtime");
        Incref = symbol(NrtRuntimeIr.Incref);
        Decref = symbol(NrtRuntimeIr.Decref);
        MemInfoAlloc = symbol(NrtRuntimeIr.MemInfoAlloc);
        MemInfoAllocDtor = symbol(NrtRuntimeIr.MemInfoAllocDtor);
        MemInfoAllocZeroed = symbol(NrtRuntimeIr.MemInfoAllocZeroed);
        MemInfoAllocAligned = symbol(NrtRuntimeIr.MemInfoAllocAligned);
        MemInfoNew = symbol(NrtRuntimeIr.MemInfoNew);
        ReleaseDeferred = symbol(NrtRuntimeIr.ReleaseDeferred);
        CallDtor = symbol(NrtRuntimeIr.CallDtor);
        HostInterop.Gate = symbol(NrtRuntimeIr.CallGate);
        // The cycle collector destroys the garbage it finds as a last release does.
        Volatile.Write(ref NrtState.Pointer[NrtState.Destroy], CallDtor);
        adoptAlloc = MemInfoAllocDtor;
    }

    static nint adoptAlloc;

    /// <summary>The runtime's key in the persistent cache: its IR and the machine (see <see cref="CacheKey"/>).</summary>
    internal static string CacheKeyHash => CacheKey.OfText("nrt runtime", NrtRuntimeIr.Text);

    /// <summary>Whether the runtime is the one built with the compiler (else it came from the cache or was compiled here).</summary>
    public bool Prebuilt { get; }

    /// <summary>
    /// The runtime's object file built with the compiler: null where the build had no LLVM, where it
    /// is not of this runtime's IR, where the process is not x86-64 Linux (it is x86-64 code), or when
    /// <c>TARGETS_NRT_RUNTIME=compile</c> asks for the runtime to be compiled on this machine.
    /// </summary>
    static byte[]? BuiltWithCompiler()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !OperatingSystem.IsLinux()
            || TargetsSettings.Current.CompileNrtRuntime)
            return null;
        using Stream? stream = typeof(CpuRuntime).Assembly.GetManifestResourceStream(NrtRuntimeObject.Resource);
        if (stream is null)
            return null;
        var packed = new byte[stream.Length];
        stream.ReadExactly(packed);
        return NrtRuntimeObject.Unpack(packed);
    }

    /// <summary>
    /// Called by compiled code about to keep a lent .NET array past the call (in a jit class
    /// field): pins the array with a GCHandle and wraps it in an NRT MemInfo whose data is a new
    /// descriptor; the MemInfo's destructor frees the handle. Returns the new descriptor (one
    /// reference, the caller's) or null when the allocation fails.
    /// </summary>
    [UnmanagedCallersOnly]
    static nint AdoptArray(nint lent, int rank)
    {
        nint address = *(nint*)(lent + DescriptorLayout.Host);
        // The array is pinned by the stub's local for the whole call, so its address still names it.
        return AdoptDescriptor(System.Runtime.CompilerServices.Unsafe.As<nint, Array>(ref address));
    }

    /// <summary>Adoption from .NET (a box's array field).</summary>
    public static nint Adopt(Array array)
    {
        nint descriptor = AdoptDescriptor(array);
#pragma warning disable CA2201 // the exception .NET itself throws for a failed allocation
        if (descriptor == 0)
            throw new OutOfMemoryException($"NRT could not allocate {DescriptorLayout.Size(array.Rank)} bytes.");
#pragma warning restore CA2201
        return descriptor;
    }

    /// <summary>A MemInfo whose data is a descriptor of <paramref name="array"/>, pinned by a GCHandle its destructor frees; 0 on allocation failure.</summary>
    static nint AdoptDescriptor(Array array)
    {
        int rank = array.Rank;
        int size = DescriptorLayout.Size(rank);
        nint memInfo = ((delegate* unmanaged<long, nint, nint>)adoptAlloc)(size, (nint)(delegate* unmanaged<nint, long, nint, nint, void>)&ReleaseAdopted);
        if (memInfo == 0)
            return 0;
        GCHandle handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        nint descriptor = *(nint*)(memInfo + NrtRuntimeIr.DataOffset);
        *(nint*)(descriptor + DescriptorLayout.Owner) = memInfo;
        *(nint*)(descriptor + DescriptorLayout.Data) = handle.AddrOfPinnedObject();
        *(long*)(descriptor + DescriptorLayout.Length) = array.LongLength;
        *(nint*)(descriptor + DescriptorLayout.Host) = GCHandle.ToIntPtr(handle);
        for (int d = 0; rank > 1 && d < rank; d++)
            *(long*)(descriptor + DescriptorLayout.Dimensions + 8 * d) = array.GetLength(d);
        return descriptor;
    }

    /// <summary>The destructor of an adopted .NET array: unpins it.</summary>
    [UnmanagedCallersOnly]
    static void ReleaseAdopted(nint descriptor, long size, nint info, nint worklist) =>
        GCHandle.FromIntPtr(*(nint*)(descriptor + DescriptorLayout.Host)).Free();

    /// <summary>Installs the runtime in this process (its symbols in <see cref="HostSymbols"/>), adding the time each step took to <paramref name="timings"/>.</summary>
    /// <param name="compiler">The JIT whose optimiser compiles the runtime when the cache has no copy (not created otherwise: a warm process never loads LLVM).</param>
    /// <param name="timings">Where each step's time is added.</param>
    public static CpuRuntime Install(Func<JitEngine> compiler, CompileTimings timings) => new(compiler, timings);

    public nint Incref { get; }
    public nint Decref { get; }
    public nint MemInfoAlloc { get; }
    public nint MemInfoAllocDtor { get; }
    public nint MemInfoAllocZeroed { get; }
    public nint MemInfoAllocAligned { get; }
    public nint MemInfoNew { get; }
    public nint ReleaseDeferred { get; }
    public nint CallDtor { get; }

    static readonly string[] TraceNames = ["alloc", "incref", "decref", "DECREF BELOW ZERO", "destroy"];

    [UnmanagedCallersOnly]
    static void Trace(int op, nint memInfo, long refCount)
    {
        string name = op >= 0 && op < TraceNames.Length ? TraceNames[op] : op.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Console.Error.WriteLine($"[nrt] {name} MemInfo 0x{memInfo:x} refct={refCount}");
    }
}
