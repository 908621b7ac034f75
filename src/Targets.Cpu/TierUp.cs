using System.Collections.Concurrent;

namespace Targets.Cpu;

/// <summary>
/// The background thread that compiles tiered code's top tier (<see cref="CompileTier.Tiered"/>): one
/// compilation at a time, in the order asked, at below-normal priority, so the quick tier's callers keep the
/// cores. The thread starts on the first request and never keeps the process alive; at exit, the
/// compilation under way is waited for (briefly) so that LLVM is not torn down under it.
/// </summary>
internal static class TierUp
{
    static readonly BlockingCollection<Action> Queue = [];
    static readonly Lazy<Thread> Worker = new(Start);
    static volatile bool compiling;

    /// <summary>Queues <paramref name="promote"/> (which must catch what it throws) for the background thread.</summary>
    public static void Request(Action promote)
    {
        _ = Worker.Value;
        Queue.Add(promote);
    }

    static Thread Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "targets: tier-up", Priority = ThreadPriority.BelowNormal };
        thread.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Queue.CompleteAdding();
            if (compiling)
                thread.Join(TimeSpan.FromSeconds(10));
        };
        return thread;
    }

    static void Run()
    {
        foreach (Action promote in Queue.GetConsumingEnumerable())
        {
            compiling = true;
            promote();
            compiling = false;
        }
    }
}
