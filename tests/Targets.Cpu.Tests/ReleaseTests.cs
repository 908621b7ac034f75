using Xunit.Abstractions;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Targets.Cpu.Tests;

/// <summary>
/// Compiled code can be released: a disposed function's later calls are ObjectDisposedExceptions
/// (delegates made before included), calls in flight finish first, instances it made outlive it,
/// and a host compiling and releasing 1,000 generated methods stays flat in memory. Run in a child
/// process: a call into freed code would end the process.
/// </summary>
public sealed class ReleaseTests(ITestOutputHelper output)
{
    [Fact]
    public void Released_code_refuses_calls_outlives_its_instances_and_keeps_memory_flat()
    {
        var result = ChildProcess.Run(typeof(ReleaseProbe), nameof(ReleaseProbe.Run), TimeSpan.FromMinutes(4));
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, $"child process exited with {result.ExitCode}:\n{result.Output}");
        Assert.Contains("release: all checks passed", result.Output, StringComparison.Ordinal);
    }
}

/// <summary>The body of <see cref="ReleaseTests"/>, run in the child process; prints the memory figures.</summary>
public static class ReleaseProbe
{
    public static long Spin(long n)
    {
        long s = 0;
        for (long k = 0; k < n; k++)
            s += k ^ (s >> 3);
        return s;
    }

    public static long Step(long n) => n * 5 + 3;

    public static long Refuse(long n) => n >= 0 ? throw new ArgumentException("Only negative numbers, please.", nameof(n)) : -n;

    public static ListNode? Chain(int n)
    {
        ListNode? head = null;
        for (int i = 0; i < n; i++)
            head = new ListNode(i, head);
        return head;
    }

    public static int Run()
    {
        var problems = new List<string>();
        void Check(bool ok, string what)
        {
            if (!ok)
                problems.Add(what);
        }
        var target = new CpuTarget();

        // Later calls of every kind refuse; compiling again makes new code.
        CompiledFunction spin = target.Compile(Spin);
        var call = spin.AsDelegate<Func<long, long>>();
        Check(call(100) == Spin(100), "first call");
        spin.Dispose();
        spin.Dispose();
        Check(Throws<ObjectDisposedException>(() => call(100)), "a delegate made before Dispose");
        Check(Throws<ObjectDisposedException>(() => spin.Invoke(100L)), "Invoke after Dispose");
        Check(Throws<ObjectDisposedException>(() => spin.AsDelegate<Func<long, long>>()), "AsDelegate after Dispose");
        Check(Eventually(() => ((CpuCompiledFunction)spin).CodeReleased), "the code is removed");
        CompiledFunction again = target.Compile(Spin);
        Check(!ReferenceEquals(again, spin) && again.AsDelegate<Func<long, long>>()(100) == Spin(100), "compiling again");

        // A call in flight finishes on code that is removed only after it returns.
        var slow = again.AsDelegate<Func<long, long>>();
        long expected = Spin(300_000_000);
        var inFlight = Task.Run(() => slow(300_000_000));
        Thread.Sleep(20);
        again.Dispose();
        Check(!((CpuCompiledFunction)again).CodeReleased || inFlight.IsCompleted, "removed while a call was in flight");
        Check(inFlight.Result == expected, "the call in flight returns its result");
        Check(Eventually(() => ((CpuCompiledFunction)again).CodeReleased), "removed once the call returned");

        // Threads calling while another disposes: each call returns the right value (or raises what it must) or refuses.
        Race(target.Compile(Spin), brief: false, "racing callers");
        // The same race on brief code, which .NET calls through the runtime's gate without the GC transition…
        Race(target.Compile(Step), brief: true, "racing callers of brief code");
        // …and on brief code that raises: each exception is read whole (its message lives in the module).
        Race(target.Compile(Refuse), brief: true, "racing callers of raising brief code", new ArgumentException("Only negative numbers, please.", "n").Message);

        void Race(CompiledFunction function, bool brief, string what, string? raises = null)
        {
            Check(((CpuCompiledFunction)function).CallsWithoutTransition == brief, $"{what}: brief is {brief}");
            var call = function.AsDelegate<Func<long, long>>();
            var expected = function.Method.CreateDelegate<Func<long, long>>();
            int wrong = 0, refused = 0;
            Task[] callers = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                for (long i = 0; ; i++)
                {
                    long n = i % 1000 + 1;
                    try
                    {
                        if (call(n) != expected(n) || raises is not null)
                            Interlocked.Increment(ref wrong);
                    }
                    catch (ArgumentException e) when (raises is not null && e.Message == raises)
                    {
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref refused);
                        return;
                    }
                    catch (ArgumentException)
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            }))];
            Thread.Sleep(50);
            function.Dispose();
            Check(Task.WaitAll(callers, TimeSpan.FromSeconds(30)) && wrong == 0 && refused == 4, $"{what}: {wrong} wrong, {refused} refused");
            Check(Eventually(() => ((CpuCompiledFunction)function).CodeReleased), $"{what}: the code is removed once its callers left");
        }

        // Instances outlive the code that made them (their destructor is the process's, not the module's).
        NrtStats before = Nrt.GetAllocationStats();
        CompiledFunction chain = target.Compile(Chain);
        JitObject? list = (JitObject?)chain.Invoke(1000);
        chain.Dispose();
        Check(Eventually(() => ((CpuCompiledFunction)chain).CodeReleased) && list!.Get<int>("Value") == 999, "an instance after its code is released");
        list!.Dispose();
        Check(Nrt.GetAllocationStats().Since(before).IsBalanced, "NRT balance after dropping the instances");

        // 1,000 generated methods compiled, called and released: memory stays flat.
        const int Warm = 300, Measured = 1000;
        Type generated = Generate(Warm + Measured);
        (long rss, long managed) start = default, middle = default;
        // Code is released off the caller's thread: each figure is taken once what was disposed is gone
        // (under load, e.g. beside other test processes, the releases lag and RSS would count them).
        var disposed = new List<CpuCompiledFunction>();
        (long Rss, long Managed) Settled()
        {
            Check(Eventually(() => disposed.All(d => d.CodeReleased)), "disposed code released");
            disposed.Clear();
            return Memory();
        }
        for (int i = 0; i < Warm + Measured; i++)
        {
            using (CompiledFunction f = target.Compile(generated.GetMethod($"M{i}")!))
            {
                Check(f.AsDelegate<Func<long, long>>()(10) == 10 * (long)i, $"generated method {i}");
                disposed.Add((CpuCompiledFunction)f);
            }
            if (i == Warm - 1)
                start = Settled();
            if (i == Warm + Measured / 2 - 1)
                middle = Settled();
            if ((i + 1) % 250 == 0)
                Console.WriteLine($"release: after {i + 1} methods RSS {Settled().Rss >> 20} MB");
        }
        (long rss, long managed) end = Settled();
        double rssPerFunction = (end.rss - start.rss) / (double)Measured / 1024, managedPerFunction = (end.managed - start.managed) / (double)Measured / 1024;
        Console.WriteLine($"release: {Measured} methods after the first {Warm}: RSS {start.rss >> 20} MB -> {end.rss >> 20} MB ({rssPerFunction:F2} KB/method), "
            + $"managed heap {managedPerFunction:F2} KB/method");
        // Kept code costs ~20 KB of RSS and ~13 KB of managed heap per method here; released, both stay flat
        // (the managed figure includes reflection's cache of the 1,000 MethodInfos looked up). A leak grows
        // RSS in each half of the run; the allocator or the GC growing its pools once (a step of a few MB,
        // seen in one half or the other) is not one, so the smaller half's growth is what must stay low.
        double firstHalf = (middle.rss - start.rss) / (Measured / 2.0) / 1024, secondHalf = (end.rss - middle.rss) / (Measured / 2.0) / 1024;
        Console.WriteLine($"release: RSS per released method, first half {firstHalf:F2} KB, second half {secondHalf:F2} KB");
        Check(Math.Min(firstHalf, secondHalf) < 8, $"RSS grew {rssPerFunction:F2} KB per released method (halves: {firstHalf:F2} and {secondHalf:F2} KB)");
        Check(managedPerFunction < 2, $"the managed heap grew {managedPerFunction:F2} KB per released method");

        foreach (string problem in problems)
            Console.WriteLine("problem: " + problem);
        if (problems.Count > 0)
            return 1;
        Console.WriteLine("release: all checks passed");
        return 0;
    }

    static bool Throws<TException>(Action action) where TException : Exception
    {
        try
        {
            action();
            return false;
        }
        catch (TException)
        {
            return true;
        }
    }

    static bool Eventually(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
            Thread.Sleep(10);
        return condition();
    }

    static (long Rss, long Managed) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Aggressive: the GC also gives back the free space it keeps committed, so RSS measures native memory, not heap sizing.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long pages = long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (pages * Environment.SystemPageSize, GC.GetTotalMemory(forceFullCollection: true));
    }

    /// <summary>An assembly of <paramref name="count"/> distinct methods <c>long Mi(long x)</c> returning x·i, built with Roslyn.</summary>
    static Type Generate(int count)
    {
        var source = new StringBuilder("public static class Generated {\n");
        for (int i = 0; i < count; i++)
            source.Append(System.Globalization.CultureInfo.InvariantCulture, $"public static long M{i}(long x) {{ long s = 0; for (long k = 0; k < x; k++) s += {i}; return s; }}\n");
        source.Append('}');
        var compilation = CSharpCompilation.Create("generated", [CSharpSyntaxTree.ParseText(source.ToString())],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
            throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics));
        return Assembly.Load(image.ToArray()).GetType("Generated")!;
    }
}
