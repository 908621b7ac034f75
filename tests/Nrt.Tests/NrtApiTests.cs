using Targets.Runtime;

namespace Targets.Runtime.Tests;

/// <summary>The .NET side of NRT that needs no compiled code: statistics, switches, argument checks.</summary>
public sealed unsafe class NrtApiTests
{
    [Fact]
    public void Stats_differences_and_balance()
    {
        var before = new NrtStats(10, 8, 5, 5);
        var after = new NrtStats(13, 11, 6, 6);
        Assert.Equal(new NrtStats(3, 3, 1, 1), after.Since(before));
        Assert.True(after.Since(before).IsBalanced);
        Assert.False(new NrtStats(1, 0, 1, 1).IsBalanced);
        Assert.False(new NrtStats(1, 1, 1, 0).IsBalanced);
    }

    [Fact]
    public void Inline_meminfos_count_as_both_an_allocation_and_a_meminfo()
    {
        NrtStats before = Nrt.GetAllocationStats();
        Interlocked.Increment(ref NrtState.Pointer[NrtState.InlineAlloc]);
        NrtStats after = Nrt.GetAllocationStats().Since(before);
        Interlocked.Increment(ref NrtState.Pointer[NrtState.InlineFree]);
        Assert.Equal(new NrtStats(1, 0, 1, 0), after);
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced);
    }

    [Fact]
    public void Switching_statistics_off_makes_the_query_say_so()
    {
        Assert.True(Nrt.StatisticsEnabled);
        Nrt.StatisticsEnabled = false;
        try
        {
            Assert.Throws<InvalidOperationException>(() => Nrt.GetAllocationStats());
            Assert.Equal(0, NrtState.Read(NrtState.Flags) & NrtState.StatsOn);
        }
        finally
        {
            Nrt.StatisticsEnabled = true;
        }
    }

    [Fact]
    public void Bad_arguments_are_argument_exceptions()
    {
        Assert.Throws<ArgumentException>(() => Nrt.RefCount(0));
        Assert.Throws<ArgumentException>(() => new ExternalAllocator(null, null));
    }

    [Fact]
    public void The_runtime_ir_names_what_the_state_block_has()
    {
        Assert.Contains($"[{NrtState.Fields} x i64]", NrtRuntimeIr.Text);
        Assert.DoesNotContain("[8 x i64]", NrtRuntimeIr.Text);
        foreach (string entry in new[] { NrtRuntimeIr.Incref, NrtRuntimeIr.Decref, NrtRuntimeIr.MemInfoAlloc, NrtRuntimeIr.MemInfoAllocZeroed,
                     NrtRuntimeIr.MemInfoAllocDtor, NrtRuntimeIr.MemInfoAllocAligned, NrtRuntimeIr.MemInfoNew, NrtRuntimeIr.ReleaseDeferred, NrtRuntimeIr.CallDtor, NrtRuntimeIr.ReleaseElements })
            Assert.Contains($"define ptr @{entry}(", NrtRuntimeIr.Text.Replace("define void @", "define ptr @", StringComparison.Ordinal));
    }
}
