namespace Targets.Parallel;

/// <summary>
/// The threads parallel loops run on: created once, on first use, and kept (background threads,
/// parked on a semaphore between loops), so a launch costs a wake-up, not a thread start. One loop
/// runs on the pool at a time; the thread that asks takes part in it. A loop asked for while the
/// pool is busy, or from inside a loop's iteration (a nested Prange), runs on the asking thread
/// alone, in order.
/// </summary>
internal static class WorkerPool
{
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
        if (workers <= 1 || job.Chunks <= 1 || insideJob || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
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

    static void RunInline(ParallelJob job)
    {
        bool outer = insideJob;
        insideJob = true;
        try
        {
            job.Work();
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
