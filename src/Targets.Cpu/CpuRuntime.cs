using System.Runtime.InteropServices;
using Targets.Llvm;
using Targets.Runtime;

namespace Targets.Cpu;

/// <summary>
/// The NRT runtime installed in one JIT: the runtime module compiled and added, its state and
/// trace symbols bound to the process-wide <see cref="NrtState"/>, and the addresses of its
/// entry points for host code (stubs that release returned arrays, tests).
/// </summary>
public sealed unsafe class CpuRuntime
{
    CpuRuntime(JitEngine jit, CompileTimings timings)
    {
        jit.DefineAbsolute(NrtRuntimeIr.State, (nint)NrtState.Pointer);
        jit.DefineAbsolute(NrtRuntimeIr.Trace, (nint)(delegate* unmanaged<int, nint, long, void>)&Trace);
        jit.DefineAbsolute(NrtRuntimeIr.AdoptArray, (nint)(delegate* unmanaged<nint, int, nint>)&AdoptArray);
        jit.DefineAbsolute(Host.HostLowering.ResolveCallee, (nint)(delegate* unmanaged<long, nint, nint>)&LazyCallees.Resolve);
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        LlvmModule module = timings.Measure("NRT runtime: parse IR", () => context.ParseIr(NrtRuntimeIr.Text, "nrt"));
        jit.Optimizer.Configure(module);
        timings.Measure("NRT runtime: optimise (default<O2>)", () => jit.Optimizer.Optimize(module, "default<O2>"));
        timings.Measure("NRT runtime: code generation and link", () =>
        {
            jit.Add(module);
            Incref = jit.Lookup(NrtRuntimeIr.Incref);
        });
        Decref = jit.Lookup(NrtRuntimeIr.Decref);
        MemInfoAlloc = jit.Lookup(NrtRuntimeIr.MemInfoAlloc);
        MemInfoAllocDtor = jit.Lookup(NrtRuntimeIr.MemInfoAllocDtor);
        MemInfoAllocZeroed = jit.Lookup(NrtRuntimeIr.MemInfoAllocZeroed);
        MemInfoAllocAligned = jit.Lookup(NrtRuntimeIr.MemInfoAllocAligned);
        MemInfoNew = jit.Lookup(NrtRuntimeIr.MemInfoNew);
        ReleaseDeferred = jit.Lookup(NrtRuntimeIr.ReleaseDeferred);
        CallDtor = jit.Lookup(NrtRuntimeIr.CallDtor);
        adoptAlloc = MemInfoAllocDtor;
    }

    static nint adoptAlloc;

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

    /// <summary>Installs the runtime in <paramref name="jit"/>, adding the time each step took to <paramref name="timings"/>.</summary>
    public static CpuRuntime Install(JitEngine jit, CompileTimings timings) => new(jit, timings);

    public nint Incref { get; private set; }
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
