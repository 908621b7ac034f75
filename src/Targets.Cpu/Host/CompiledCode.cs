using Targets.Llvm;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>
/// One handle on a compiled module's entry, as host stubs call it, and its release. Guarantees: a
/// call through a handle that starts after its <see cref="Release"/> is an
/// <see cref="ObjectDisposedException"/>; the module (which several targets' handles may share)
/// is removed from the JIT only once every handle is released and no thread is inside a call that
/// started before, so releasing while other threads call never runs freed code. The fast path
/// costs two plain increments of a per-thread counter: the releasing side pays for the ordering
/// instead, with one process-wide memory barrier (the asymmetric pattern of read-copy-update).
/// Tiered code is promoted in place (<see cref="Promote"/>): calls that start after it run the new
/// code, and the old module is left the way a release leaves it, so it goes once the calls already
/// inside it have returned.
/// <para>Brief code (<see cref="Brief"/>) is called through the runtime's gate (<c>nrt_call_gate</c>) with the
/// handle's <see cref="Slot"/>, without the GC transition and without the per-thread count: releasing clears the
/// slot, and the module waits for a GC's suspension of every thread instead (see <see cref="SharedModule"/>).</para>
/// </summary>
public sealed class CompiledCode
{
    SharedModule module;
    readonly object gate = new();
    volatile bool released;
    nint entry;
    // Pinned: the gate reads it from native code, and a stub passes its address while the handle lives.
    readonly nint[] slot = GC.AllocateArray<nint>(1, pinned: true);
    readonly TaskCompletionSource topTier = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="entry">The entry trampoline.</param>
    /// <param name="module">The module, joined by this handle (see <see cref="SharedModule.TryJoin"/>).</param>
    /// <param name="layouts">The layout context of the handle's target (laying out every class the code reads as the code does).</param>
    /// <param name="brief">Whether the entry is brief (<see cref="BriefCode"/>): called without the GC transition.</param>
    /// <param name="tier">The tier of the code.</param>
    /// <param name="promoted">Whether a promotion (<see cref="Promote"/> or <see cref="StayQuick"/>) will follow: tiered code's quick tier.</param>
    internal CompiledCode(nint entry, SharedModule module, LayoutContext layouts, bool brief = false, CompileTier tier = CompileTier.Optimized, bool promoted = false)
    {
        this.entry = entry;
        Brief = brief;
        this.module = module;
        slot[0] = entry;
        if (brief)
            module.CalledWithoutTransition();
        Layouts = layouts;
        Tier = tier;
        if (!promoted)
            topTier.SetResult();
    }

    /// <summary>The entry trampoline (valid until released; after a promotion, the promoted code's).</summary>
    public nint Entry => Volatile.Read(ref entry);

    /// <summary>The address of the slot brief code is called through: the entry, or null once released.</summary>
    public unsafe nint Slot => (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref slot[0]);

    /// <summary>The tier of the code calls run now.</summary>
    public CompileTier Tier { get; private set; }

    /// <summary>Completes when the code is at its top tier (at once for code that is not tiered), or is released first.</summary>
    internal Task TopTier => topTier.Task;

    /// <summary>
    /// Makes <paramref name="better"/> (an entry of <paramref name="betterModule"/>, joined for this handle) the code
    /// calls run from now on, and leaves the old module. Refused — false, and the caller leaves
    /// <paramref name="betterModule"/> — once the handle is released, or when the new code is not brief and this
    /// handle's stubs call without the GC transition (they were made for brief code).
    /// </summary>
    internal bool Promote(nint better, SharedModule betterModule, bool betterBrief)
    {
        SharedModule old;
        lock (gate)
        {
            if (released || (Brief && !betterBrief))
                return false;
            old = module;
            module = betterModule;
            if (Brief)
                betterModule.CalledWithoutTransition();
            Volatile.Write(ref entry, better);
            Volatile.Write(ref slot[0], better);
            Tier = CompileTier.Optimized;
        }
        old.Leave(); // the barrier and the wait for calls inside, as for a release
        topTier.TrySetResult();
        return true;
    }

    /// <summary>A promotion that will not come (its compilation failed): the code stays where it is.</summary>
    internal void StayQuick() => topTier.TrySetResult();

    /// <summary>
    /// Whether .NET calls the entry without the GC transition (<c>SuppressGCTransition</c>): true only for
    /// code <see cref="BriefCode"/> showed brief — no loops, no calls out of its module — which cannot block
    /// or call back into .NET, the two things a call without the transition must not do.
    /// </summary>
    public bool Brief { get; }

    /// <summary>The layouts the code reads instances with: a box passed in must have its class's layout here.</summary>
    public LayoutContext Layouts { get; }

    public bool Released => released;

    /// <summary>Whether the module's code has been removed from the JIT (after its last handle was released and the calls in flight returned).</summary>
    public bool Removed
    {
        get
        {
            lock (gate)
                return module.Removed;
        }
    }

    /// <summary>Refuses new calls through this handle and leaves the module (see <see cref="SharedModule.Leave"/>). Idempotent; never blocks.</summary>
    public void Release()
    {
        SharedModule leaving;
        lock (gate)
        {
            if (released)
                return;
            released = true;
            leaving = module;
            Volatile.Write(ref slot[0], 0);
        }
        leaving.Leave();
        topTier.TrySetResult();
    }
}

/// <summary>
/// A compiled module and the handles using it: removed from the JIT when the last leaves, once
/// the calls in flight have returned (at once when none are, else from the thread pool);
/// <c>closed</c> runs when the last leaves (no handle can join after). A module without code to
/// remove (code other compiled code may call) is never removed.
/// </summary>
internal sealed class SharedModule(IDisposable? code, Action? closed = null)
{
    readonly object gate = new();
    int users;
    bool closing;
    volatile bool unguarded;

    /// <summary>
    /// Marks the module as called through the gate by some handle (brief code: no per-thread count), so that its
    /// removal first waits for a GC's suspension of every thread (any that read its entry from a slot has then
    /// returned from the gate) and for the calls that raised to have read their records.
    /// </summary>
    public void CalledWithoutTransition() => unguarded = true;

    public bool Removed { get; private set; }

    /// <summary>A module that stays until the process ends, with one user.</summary>
    public static SharedModule Kept()
    {
        var module = new SharedModule(null);
        module.TryJoin();
        return module;
    }

    /// <summary>Adds a user; false when the module is already being removed (its last user left).</summary>
    public bool TryJoin()
    {
        lock (gate)
        {
            if (closing)
                return false;
            users++;
            return true;
        }
    }

    /// <summary>Drops a user; the last one starts the removal.</summary>
    public void Leave()
    {
        lock (gate)
        {
            if (--users > 0)
                return;
            closing = true;
        }
        closed?.Invoke();
        if (code is null)
            return;
        // Every handle's 'released' (each set before its Leave) is now visible to every thread,
        // and every call that has not counted itself in yet will read it as set.
        Interlocked.MemoryBarrierProcessWide();
        IReadOnlyList<(CallCounter Thread, long Enters)> inside = CallCounter.InsideCalls();
        if (inside.Count == 0 && !unguarded)
        {
            Remove();
            return;
        }
        _ = Task.Run(async () =>
        {
            if (unguarded)
            {
                // A blocking collection suspends every thread at a safepoint; none lies between a gate's read of
                // a slot and the return from the code it called. Then the raised calls' records are read.
                await GcSuspension.Next().ConfigureAwait(false);
                while (NrtState.Read(NrtState.BriefRaising) != 0)
                    await Task.Delay(1).ConfigureAwait(false);
            }
            while (!inside.All(t => t.Thread.HasLeft(t.Enters)))
                await Task.Delay(1).ConfigureAwait(false);
            Remove();
        });
    }

    void Remove()
    {
        code!.Dispose();
        Removed = true;
    }
}
