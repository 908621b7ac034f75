namespace Targets.Cpu.Host;

/// <summary>
/// A blocking garbage collection, shared by whoever asks within a short window: <see cref="Next"/> completes
/// after a collection that started after the call, so after a suspension of every managed thread at a
/// safepoint. Released brief code waits for one (see <see cref="CompiledCode"/>): forcing a collection per
/// release cost a compile-and-release loop of <c>Add</c> ~2 ms a round (2.2 → 4.1 ms); gathered over
/// <see cref="Window"/>, one collection serves every release of the window (2.3 ms a round, as before;
/// 20 ms windows left 2.7–3.5 ms). Released code stays that much longer.
/// </summary>
internal static class GcSuspension
{
    /// <summary>How long a request waits for others to share its collection.</summary>
    static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    static readonly object Gate = new();
    static TaskCompletionSource? pending;

    /// <summary>A task that completes once a blocking collection that started after this call has finished.</summary>
    public static Task Next()
    {
        lock (Gate)
        {
            if (pending is null)
            {
                pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _ = Collect(pending);
            }
            return pending.Task;
        }
    }

    static async Task Collect(TaskCompletionSource done)
    {
        await Task.Delay(Window).ConfigureAwait(false);
        lock (Gate)
            pending = null; // later requests wait for a collection of their own: this one may have started before them
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        done.SetResult();
    }
}
