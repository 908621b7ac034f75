namespace Targets.Parallel.Tests;

/// <summary>The worker pool under composition: nested loops, many calling threads, exceptions after allocations, worker counts.</summary>
public sealed class RuntimeTests : NrtLeakCheck
{
    static readonly ParallelTarget Parallel = new();

    [Fact]
    public void A_loop_in_a_callee_of_a_chunk_runs_in_order_there()
    {
        var run = Parallel.Compile(Composed.OuterCallsInner).AsDelegate<Func<int, long>>();
        Assert.Equal(Composed.OuterCallsInner(2000), run(2000));
    }

    [Fact]
    public void Many_threads_calling_parallel_code_at_once_get_their_own_results()
    {
        var run = Parallel.Compile(Composed.Inner).AsDelegate<Func<int, long>>();
        long[] got = new long[16];
        System.Threading.Tasks.Parallel.For(0, 16, t =>
        {
            for (int round = 0; round < 50; round++)
                got[t] = run(10_000 + t);
        });
        for (int t = 0; t < 16; t++)
            Assert.Equal(Composed.Inner(10_000 + t), got[t]);
    }

    [Fact]
    public void Arrays_made_by_chunks_are_freed_when_another_chunk_throws()
    {
        var run = Parallel.Compile(Composed.AllocatesThenThrows).AsDelegate<Func<int, int, double>>();
        for (int bad = 0; bad < 100_000; bad += 7919)
            Same(() => Composed.AllocatesThenThrows(100_000, bad), () => run(100_000, bad));
        Assert.Equal(Composed.AllocatesThenThrows(1000, -1), run(1000, -1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void Any_worker_count_gives_the_same_integer_results(int workers)
    {
        var target = new ParallelTarget(new LayoutContext(), workers);
        Assert.Equal(workers, target.Workers);
        Assert.Equal(Samples.Add(123_457), target.Compile(Samples.Add).AsDelegate<Func<int, long>>()(123_457));
        Assert.Equal("parallel", target.Name);
    }

    [Fact]
    public void A_negative_worker_count_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelTarget(new LayoutContext(), -1));

    [Fact]
    public void The_parallel_target_accepts_everything_the_cpu_target_does()
    {
        JitClassType type = JitClass.Define<Counter>();
        var target = new ParallelTarget();
        using JitObject counter = target.New(type, 2.0);
        Assert.Equal(2.0, counter.Get<double>("Scale"));
        Assert.Contains("prange0", target.Compile(Samples.Shared).Inspect(Stage.Ir));
    }
}
