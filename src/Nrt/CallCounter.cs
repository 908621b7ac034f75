namespace Targets.Runtime;

/// <summary>
/// How many calls into compiled code — and host operations that change NRT instances (a box's field
/// writes, its reference's release) — one thread has entered and left (written by that thread alone, read by
/// whoever must know that no thread is inside: a module's removal, the cycle collector). A thread is inside
/// while the two differ. The fast path is two plain increments and a read of a flag; the side that waits pays
/// for the ordering with one process-wide memory barrier (the asymmetric pattern of read-copy-update).
/// <para>The cycle collector's gate: while a collection runs (<see cref="CycleCollector"/>), a thread entering
/// from outside waits until it ends; a thread already inside goes on (the collection is waiting for it to
/// leave). A collection marked due by the runtime runs when the last operation of a thread leaves.</para>
/// </summary>
public sealed class CallCounter
{
    [ThreadStatic] static CallCounter? current;
    static readonly List<WeakReference<CallCounter>> All = [];

    long enters;
    long exits;

    /// <summary>This thread's counter.</summary>
    public static CallCounter Current => current ?? Register();

    static CallCounter Register()
    {
        StackLimits.Register();
        var counter = new CallCounter();
        lock (All)
        {
            All.RemoveAll(w => !w.TryGetTarget(out _));
            All.Add(new WeakReference<CallCounter>(counter));
        }
        return current = counter;
    }

    /// <summary>Counts the thread in, waiting first while a cycle collection runs (unless the thread is already inside).</summary>
    public void Enter()
    {
        enters++;
        if (CycleCollector.Stopping)
            WaitOutCollection();
    }

    /// <summary>Counts the thread out; the last to leave runs a collection the runtime marked due.</summary>
    public void Leave()
    {
        exits++;
        if (CycleCollector.Due && exits == enters)
            CycleCollector.CollectDue();
    }

    /// <summary>Counts the thread in (<see cref="Enter"/>) until the scope is disposed (<see cref="Leave"/>): a <c>using</c> around a host operation on instances.</summary>
    public Scope Counted()
    {
        Enter();
        return new Scope(this);
    }

    /// <summary>What <see cref="Counted"/> returns: disposing it counts the thread out.</summary>
    public readonly struct Scope(CallCounter counter) : IDisposable
    {
        public void Dispose() => counter.Leave();
    }

    /// <summary>Whether the thread is inside a call or an operation now.</summary>
    public bool Inside => exits != enters;

    void WaitOutCollection()
    {
        while (CycleCollector.Stopping && enters - exits == 1)
        {
            // Out again while the collection runs (it waits for no one outside), then in again.
            exits++;
            var spin = new SpinWait();
            while (CycleCollector.Stopping)
                spin.SpinOnce();
            enters++;
        }
    }

    /// <summary>Whether every call this thread had entered when <paramref name="enters"/> was read has returned.</summary>
    public bool HasLeft(long enters) => Volatile.Read(ref exits) >= enters;

    /// <summary>
    /// The threads inside a call now, with how many calls each had entered. Callers that need every thread that
    /// has not yet counted itself in to see a flag they set issue <see cref="Interlocked.MemoryBarrierProcessWide"/> first.
    /// </summary>
    public static IReadOnlyList<(CallCounter Thread, long Enters)> InsideCalls()
    {
        var inside = new List<(CallCounter, long)>();
        lock (All)
        {
            foreach (WeakReference<CallCounter> reference in All)
            {
                if (!reference.TryGetTarget(out CallCounter? counter))
                    continue;
                long entered = Volatile.Read(ref counter.enters);
                if (Volatile.Read(ref counter.exits) < entered)
                    inside.Add((counter, entered));
            }
        }
        return inside;
    }
}
