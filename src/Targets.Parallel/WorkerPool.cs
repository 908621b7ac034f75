namespace Targets.Parallel;

/// <summary>
/// The threads parallel loops run on: created once, on first use, and kept (background threads,
/// parked on a semaphore between loops), so a launch costs a wake-up, not a thread start. One loop
/// runs on the pool at a time; the thread that asks takes part in it. A loop asked for while the
/// pool is busy, or from inside a loop's iteration (a nested Prange), runs on the asking thread
/// alone, in order. A short loop (at most <see cref="ProbeLimit"/> iterations) first runs one chunk on the
/// asking thread and times it: when the whole loop at that pace would take less than waking the pool
/// costs (<see cref="WakeCost"/>), the rest runs there too.
/// </summary>
internal static class WorkerPool
{
    /// <summary>Loops of at most this many iterations are timed on their first chunk before the pool is woken.</summary>
    const long ProbeLimit = 1024;

    /// <summary>
    /// What waking the pool for a loop costs its caller, as a time: measured on the 2-core VM, an empty kernel's
    /// launch over 10 items took ~0.46 µs with a helper woken and ~15 ns on the caller alone (docs/benchmarks.md);
    /// a loop whose remaining chunks would take less than this runs on the caller.
    /// </summary>
    static readonly long WakeCost = System.Diagnostics.Stopwatch.Frequency / 500_000; // 2 µs
    static readonly object Growing = new();
    static readonly SemaphoreSlim Wake = new(0);
    static int threads;
    static volatile ParallelJob? current;
    static int busy;

    [ThreadStatic]
    static bool insideJob;

    /// <summary>Runs <paramref name="job"/> on up to <paramref name="workers"/> threads, this one included; returns when every chunk is done or skipped.</summary>
    public static void Run(ParallelJob job, int workers)
    {
        if (workers <= 1 || job.Chunks <= 1 || insideJob || (job.Count <= ProbeLimit && ShortEnough(job)) || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            RunInline(job);
            return;
        }
        try
        {
            int helpers = Math.Min(workers, job.Chunks) - 1;
            EnsureThreads(helpers);
            job.Participants = helpers;
            current = job;
            Wake.Release(helpers);
            RunInline(job);
            job.WaitForHelpers();
        }
        finally
        {
            current = null;
            Volatile.Write(ref busy, 0);
        }
    }

    /// <summary>Runs the loop's first chunk here; whether the rest, at its pace, would take less than waking the pool.</summary>
    static bool ShortEnough(ParallelJob job)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        RunInline(job, 1);
        long elapsed = System.Diagnostics.Stopwatch.GetTimestamp() - start;
        return elapsed * (job.Chunks - 1) < WakeCost;
    }

    static void RunInline(ParallelJob job, int most = int.MaxValue)
    {
        bool outer = insideJob;
        insideJob = true;
        try
        {
            job.Work(most);
        }
        finally
        {
            insideJob = outer;
        }
    }

    static void EnsureThreads(int count)
    {
        if (Volatile.Read(ref threads) >= count)
            return;
        lock (Growing)
        {
            while (threads < count)
            {
                new Thread(Loop) { IsBackground = true, Name = $"targets-parallel-{threads + 1}" }.Start();
                Volatile.Write(ref threads, threads + 1);
            }
        }
    }

    static void Loop()
    {
        Runtime.StackLimits.Register();
        insideJob = true;
        while (true)
        {
            Wake.Wait();
            ParallelJob job = current!;
            try
            {
                job.Work();
            }
            finally
            {
                job.HelperDone(); // always: the caller waits for every helper it woke
            }
        }
    }
}
