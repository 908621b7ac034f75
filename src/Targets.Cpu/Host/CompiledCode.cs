using Targets.Llvm;

namespace Targets.Cpu.Host;

/// <summary>
/// One compiled module's entry as host stubs call it, and its release. Guarantees: a call that
/// starts after <see cref="Release"/> is an <see cref="ObjectDisposedException"/>; the module's
/// code is removed from the JIT only once no thread is inside a call that started before, so
/// releasing while other threads call never runs freed code. The fast path costs two plain
/// increments of a per-thread counter: the releasing side pays for the ordering instead, with one
/// process-wide memory barrier (the asymmetric pattern of read-copy-update).
/// </summary>
public sealed class CompiledCode
{
    readonly JitCode? code;
    readonly object gate = new();
    volatile bool released;

    /// <param name="entry">The entry trampoline.</param>
    /// <param name="code">The module to remove on release; null for code that must stay (other code may call it).</param>
    /// <param name="layouts">The layout context the code was compiled under.</param>
    internal CompiledCode(nint entry, JitCode? code, LayoutContext layouts)
    {
        Entry = entry;
        this.code = code;
        Layouts = layouts;
    }

    /// <summary>The entry trampoline (valid until released).</summary>
    public nint Entry { get; }

    /// <summary>The layouts the code reads instances with: a box passed in must have its class's layout here.</summary>
    public LayoutContext Layouts { get; }

    public bool Released => released;

    /// <summary>Whether the module's code has been removed from the JIT (after the calls in flight at release returned).</summary>
    public bool Removed { get; private set; }

    /// <summary>
    /// Refuses new calls and removes the code once the calls in flight have returned: at once when
    /// none are, else from the thread pool when the last one has. Idempotent; never blocks.
    /// </summary>
    public void Release()
    {
        lock (gate)
        {
            if (released)
                return;
            released = true;
        }
        // Every thread's increment before its read of 'released' is now visible here, and every
        // call that has not incremented yet will read 'released' as set.
        Interlocked.MemoryBarrierProcessWide();
        IReadOnlyList<(CallCounter Thread, long Enters)> inside = CallCounter.InsideCalls();
        if (inside.Count == 0)
        {
            Remove();
            return;
        }
        _ = Task.Run(async () =>
        {
            while (!inside.All(t => t.Thread.HasLeft(t.Enters)))
                await Task.Delay(1).ConfigureAwait(false);
            Remove();
        });
    }

    void Remove()
    {
        code?.Dispose();
        Removed = code is not null;
    }
}

/// <summary>
/// How many calls into compiled code one thread has entered and left (written by that thread
/// alone, read by <see cref="CompiledCode.Release"/>). A thread is inside a call while the two differ.
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
        Runtime.StackLimits.Register();
        var counter = new CallCounter();
        lock (All)
        {
            All.RemoveAll(w => !w.TryGetTarget(out _));
            All.Add(new WeakReference<CallCounter>(counter));
        }
        return current = counter;
    }

    public void Enter() => enters++;

    public void Leave() => exits++;

    /// <summary>Whether every call this thread had entered when <paramref name="enters"/> was read has returned.</summary>
    internal bool HasLeft(long enters) => Volatile.Read(ref exits) >= enters;

    /// <summary>The threads inside a call now, with how many calls each had entered.</summary>
    internal static IReadOnlyList<(CallCounter Thread, long Enters)> InsideCalls()
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
