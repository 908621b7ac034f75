
namespace Targets.Cpu.Tests;

/// <summary>
/// Faults a hostile caller can cause at the host boundary end in exceptions, never in a crash or a
/// double free: a box of the wrong class through a typed delegate, delegate types without a
/// signature, and <see cref="NrtArray{T}"/> disposed from several threads at once. Each ran into
/// memory it should not (SIGSEGV, NullReferenceException, a second decref) before; they run in a
/// child process with a time limit so that a regression fails this test rather than the run.
/// </summary>
public sealed class BoundaryFaultTests
{
    [Fact]
    public void Faults_at_the_boundary_are_exceptions_in_a_child_process()
    {
        var result = ChildProcess.Run(typeof(BoundaryFaultProbe), nameof(BoundaryFaultProbe.Run), TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"child process exited with {result.ExitCode}:\n{result.Output}");
        Assert.Contains("all boundary faults were exceptions", result.Output, StringComparison.Ordinal);
    }
}

/// <summary>The body of <see cref="BoundaryFaultTests"/>, run in the child process.</summary>
public static class BoundaryFaultProbe
{
    public static int[] Numbers(int n) => new int[n];

    public static int Run()
    {
        var target = new CpuTarget();
        var problems = new List<string>();
        void Expect<TException>(string what, Action action, string contains) where TException : Exception
        {
            try
            {
                action();
                problems.Add($"{what}: nothing thrown");
            }
#pragma warning disable CA1031 // every outcome is reported
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (e is not TException || !e.Message.Contains(contains, StringComparison.Ordinal))
                    problems.Add($"{what}: {e.GetType().Name}: {e.Message}");
            }
        }

        // A box of another jit class through a typed delegate: the same ArgumentException as Invoke.
        var identity = target.Compile(JitClassCode.Identity).AsDelegate<Func<JitObject, JitObject>>();
        using (JitObject node = target.New(JitClass.Define<ListNode>(), 1, null))
            Expect<ArgumentException>("wrong box through a typed delegate", () => identity(node), "must be a JitObject of Vec2 (or of a class derived from it), got a box of ListNode");
        using (JitObject vec = target.New(JitClass.Define<Vec2>(), 1.0, 2.0))
        using (JitObject same = identity(vec))
        {
            if (same.Get<double>("Y") != 2.0)
                problems.Add("the right box through a typed delegate: wrong value");
        }

        // Delegate types without an Invoke signature.
        CompiledFunction numbers = target.Compile(Numbers);
        Expect<ArgumentException>("AsDelegate<MulticastDelegate>", () => numbers.AsDelegate<MulticastDelegate>(), "no Invoke signature");
        Expect<ArgumentException>("AsDelegate<Delegate>", () => numbers.AsDelegate<Delegate>(), "no Invoke signature");
        Expect<ArgumentException>("AsDelegate with another signature", () => numbers.AsDelegate<Func<long, int[]>>(), "Expected a delegate type");

        // NrtArray<T>.Dispose racing on several threads: exactly one release.
        var view = numbers.AsDelegate<Func<int, NrtArray<int>>>();
        NrtStats before = Nrt.GetAllocationStats();
        Nrt.DebugMode = true;
        for (int round = 0; round < 2000; round++)
        {
            NrtArray<int> array = view(16);
            using var start = new Barrier(4);
            Task[] racers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                array.Dispose();
            })).ToArray();
            Task.WaitAll(racers);
        }
        Nrt.DebugMode = false;
        (long belowZero, nint _) = Nrt.TakeErrors();
        if (belowZero != 0)
            problems.Add($"NrtArray.Dispose raced: {belowZero} decrefs went below zero");
        if (!Nrt.GetAllocationStats().Since(before).IsBalanced)
            problems.Add($"NrtArray.Dispose raced: stats {Nrt.GetAllocationStats().Since(before)}");

        foreach (string problem in problems)
            Console.WriteLine(problem);
        if (problems.Count > 0)
            return 1;
        Console.WriteLine("all boundary faults were exceptions");
        return 0;
    }
}
