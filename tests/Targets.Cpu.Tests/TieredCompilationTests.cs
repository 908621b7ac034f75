namespace Targets.Cpu.Tests;

/// <summary>Methods compiled only by <see cref="TieredCompilationTests"/> (no other test shares their code).</summary>
public static class TierMethods
{
    public static long Mix(long n)
    {
        long s = 17;
        for (long k = 0; k < n % 97; k++)
            s = s * 31 + (k ^ (s >> 7));
        return s;
    }

    public static double Wave(double x, int terms)
    {
        double s = 0;
        for (int k = 1; k <= terms; k++)
            s += Math.Sin(k * x) / k;
        return s;
    }

    public static long Drop(long n) => n * 7 - 3;
}

/// <summary>
/// Tiered compilation (<see cref="CompileOptions.Tier"/>): quick code first, the optimised code swapped in by the
/// tier-up thread while other threads call, every result .NET's throughout; a pinned tier stays.
/// </summary>
public sealed class TieredCompilationTests : NrtLeakCheck
{
    static readonly CompileOptions TieredWithoutCache = new() { Tier = CompileTier.Tiered, Cache = false };

    [Fact]
    public async Task Tiered_code_starts_quick_and_is_promoted_while_threads_call_it()
    {
        using var target = new CpuTarget();
        var f = (CpuCompiledFunction)target.Compile(TierMethods.Mix, TieredWithoutCache);
        Assert.Contains(Targets.Llvm.Lowering.CompileDriver.QuickPipeline, f.Timings.ToString()); // the first call ran the quick tier's code
        var call = f.AsDelegate<Func<long, long>>();
        int wrong = 0;
        using var stop = new CancellationTokenSource();
        Task[] callers = [.. Enumerable.Range(0, 3).Select(t => Task.Run(() =>
        {
            for (long i = t; !stop.IsCancellationRequested; i += 3)
            {
                if (call(i) != TierMethods.Mix(i))
                    Interlocked.Increment(ref wrong);
            }
        }))];
        Assert.True(f.WaitForTopTier(TimeSpan.FromMinutes(2)), "the optimised code did not arrive");
        Thread.Sleep(50); // calls on the promoted code, beside the old module's removal
        stop.Cancel();
        await Task.WhenAll(callers);
        Assert.Equal(0, wrong);
        Assert.Equal(CompileTier.Optimized, f.Tier);
        Assert.Equal(TierMethods.Mix(12345), call(12345));
        Assert.Equal(TierMethods.Mix(12345), (long)f.Invoke(12345L)!);
    }

    [Fact]
    public void A_pinned_tier_stays_and_agrees_with_dotnet()
    {
        using var target = new CpuTarget();
        var quick = (CpuCompiledFunction)target.Compile(TierMethods.Wave, new CompileOptions { Tier = CompileTier.Quick });
        Assert.True(quick.WaitForTopTier(TimeSpan.Zero)); // nothing to wait for: no promotion follows
        Assert.Equal(CompileTier.Quick, quick.Tier);
        Assert.Contains(Targets.Llvm.Lowering.CompileDriver.QuickPipeline, quick.Timings.ToString());
        var optimized = (CpuCompiledFunction)target.Compile(TierMethods.Wave);
        Assert.Equal(CompileTier.Optimized, optimized.Tier);
        Assert.Contains("default<O3>", optimized.Timings.ToString());
        foreach (double x in new[] { 0.0, 0.3, -2.5, 10.0 })
        {
            Assert.Equal(TierMethods.Wave(x, 40), quick.AsDelegate<Func<double, int, double>>()(x, 40));
            Assert.Equal(TierMethods.Wave(x, 40), optimized.AsDelegate<Func<double, int, double>>()(x, 40));
        }
    }

    [Fact]
    public void Disposing_before_the_promotion_keeps_it_from_happening()
    {
        var target = new CpuTarget();
        var f = (CpuCompiledFunction)target.Compile(TierMethods.Drop, TieredWithoutCache);
        Assert.Equal(TierMethods.Drop(5), f.AsDelegate<Func<long, long>>()(5));
        f.Dispose();
        Assert.True(f.WaitForTopTier(TimeSpan.FromMinutes(2)));
        Assert.Throws<ObjectDisposedException>(() => f.Invoke(5L));
        Assert.True(SpinWait.SpinUntil(() => f.CodeReleased, TimeSpan.FromMinutes(1)), "the quick code was not removed");
    }
}
