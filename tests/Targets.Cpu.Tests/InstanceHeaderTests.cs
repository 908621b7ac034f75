using System.Runtime.InteropServices;
using Targets.Runtime;

namespace Targets.Cpu.Tests;

/// <summary>
/// Jit-class instances carry a 16-byte header (count, tag pointing to the class record) instead of a
/// 48-byte MemInfo, and unchecked code pops them (and small arrays' blocks) from the thread's pool
/// inline and pushes dead ones back: the layout is what the runtime reads, and blocks made under an
/// external allocator or with pooling off are allocated and freed the right way, with balanced statistics.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed unsafe class InstanceHeaderTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();
    static long mallocs, frees;

    internal static int BuildAndSum(int n)
    {
        ListNode? head = null;
        for (int i = 0; i < n; i++)
            head = new ListNode(i, head);
        int sum = 0;
        for (ListNode? p = head; p != null; p = p.Next)
            sum += p.Value;
        return sum;
    }

    internal static ListNode Prepend(int value, ListNode? next) => new(value, next);

    internal static double Scratch(int n)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var scratch = new double[16];
            scratch[i & 15] = i;
            total += scratch[i & 15] + scratch[3];
        }
        return total;
    }

    [UnmanagedCallersOnly]
    static nint CountingMalloc(nint size, nint opaque)
    {
        Interlocked.Increment(ref mallocs);
        return (nint)NativeMemory.Alloc((nuint)size);
    }

    [UnmanagedCallersOnly]
    static void CountingFree(nint p, nint opaque)
    {
        Interlocked.Increment(ref frees);
        NativeMemory.Free((void*)p);
    }

    [Fact]
    public void An_instance_is_a_16_byte_header_whose_tag_points_to_its_class_record()
    {
        JitClassType layout = Cpu.Layouts.Layout(typeof(ListNode));
        using JitObject node = Cpu.New(layout, 41, null);
        nint tag = *(nint*)(node.MemInfo + 8);
        Assert.Equal(0, tag & 1); // bit 0 clear: not a full MemInfo
        nint record = tag & ~(nint)15;
        Assert.NotEqual(0, *(nint*)record); // the destructor (ListNode holds a reference)
        Assert.Equal(layout.Size, *(long*)(record + 8));
        Assert.Equal(node.MemInfo + NrtRuntimeIr.HeaderSize, node.DataPointer);
        Assert.Equal(41, *(int*)(node.DataPointer + layout.Field("Value").Offset));
        Assert.Equal(1, node.RefCount);

        // A full MemInfo (an array's) keeps its destructor with bit 0 set.
        nint full = ((delegate* unmanaged<long, nint, nint>)CpuTarget.Runtime.MemInfoAllocZeroed)(8, 0);
        Assert.Equal(1, *(nint*)(full + 8) & 1);
        ((delegate* unmanaged<nint, void>)CpuTarget.Runtime.Decref)(full);
    }

    [Fact]
    public void Instances_made_under_an_external_allocator_are_allocated_and_freed_by_it()
    {
        Func<int, int> build = Cpu.Compile(BuildAndSum).AsDelegate<Func<int, int>>();
        Assert.Equal(4950, build(100)); // the pool has blocks of this class now
        mallocs = frees = 0;
        using (new ExternalAllocator(&CountingMalloc, &CountingFree))
            Assert.Equal(4950, build(100));
        Assert.Equal(100, Interlocked.Read(ref mallocs));
        Assert.Equal(100, Interlocked.Read(ref frees));
    }

    [Fact]
    public void An_instance_made_under_an_external_allocator_and_freed_after_it_is_gone_goes_back_to_it()
    {
        mallocs = frees = 0;
        JitObject kept;
        using (new ExternalAllocator(&CountingMalloc, &CountingFree))
            kept = (JitObject)Cpu.Compile(Prepend).Invoke(7, null)!;
        Assert.Equal(7, kept.Get<int>("Value"));
        Assert.Equal((1L, 0L), (Interlocked.Read(ref mallocs), Interlocked.Read(ref frees)));
        kept.Dispose();
        Assert.Equal((1L, 1L), (Interlocked.Read(ref mallocs), Interlocked.Read(ref frees)));
    }

    [Fact]
    public void Instances_pooled_and_not_pooled_link_and_die_together()
    {
        Func<int, int> build = Cpu.Compile(BuildAndSum).AsDelegate<Func<int, int>>();
        CompiledFunction prepend = Cpu.Compile(Prepend);
        var pooled = (JitObject)prepend.Invoke(1, null)!;
        bool before = Nrt.PoolingEnabled;
        try
        {
            Nrt.PoolingEnabled = false;
            Assert.Equal(499500, build(1000));
            using var chain = (JitObject)prepend.Invoke(2, pooled)!; // a libc block pointing to a pooled one
            pooled.Dispose();
            Nrt.PoolingEnabled = true;
            using var longer = (JitObject)prepend.Invoke(3, chain)!;
            using JitObject next = longer.Get<JitObject>("Next");
            Assert.Equal(2, next.Get<int>("Value"));
        }
        finally
        {
            Nrt.PoolingEnabled = before;
        }
    }

    [Fact]
    public void Checked_code_allocates_through_the_runtime_and_debug_mode_sees_each_instance_die()
    {
        Assert.Contains("@pthread_getspecific", Cpu.Compile(BuildAndSum).Inspect(Stage.OptimizedLlvm), StringComparison.Ordinal); // the inline pool path
        string checkedCode = InDebugMode(() =>
        {
            CompiledFunction compiled = Cpu.Compile(BuildAndSum, new CompileOptions { NrtDebug = true });
            Assert.Equal(499500, compiled.AsDelegate<Func<int, int>>()(1000));
            return compiled.Inspect(Stage.OptimizedLlvm);
        });
        Assert.Contains("@nrt_instance_alloc", checkedCode, StringComparison.Ordinal);
        Assert.DoesNotContain("@pthread_getspecific", checkedCode, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_arrays_made_and_dropped_inline_are_counted_like_the_runtimes()
    {
        Func<int, double> scratch = Cpu.Compile(Scratch).AsDelegate<Func<int, double>>();
        Assert.Contains("@pthread_getspecific", Cpu.Compile(Scratch).Inspect(Stage.OptimizedLlvm), StringComparison.Ordinal);
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(Scratch(1000), scratch(1000));
        NrtStats made = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(1000, made.MiAlloc);
        Assert.True(made.IsBalanced, made.ToString());

        mallocs = frees = 0;
        using (new ExternalAllocator(&CountingMalloc, &CountingFree))
            Assert.Equal(Scratch(100), scratch(100));
        Assert.Equal((100L, 100L), (Interlocked.Read(ref mallocs), Interlocked.Read(ref frees)));

        bool pooling = Nrt.PoolingEnabled;
        try
        {
            Nrt.PoolingEnabled = false;
            Assert.Equal(Scratch(100), scratch(100));
        }
        finally
        {
            Nrt.PoolingEnabled = pooling;
        }
    }
}
