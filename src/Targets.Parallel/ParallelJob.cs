using Targets.Llvm.Lowering;

namespace Targets.Parallel;

/// <summary>
/// One parallel loop in flight: its iterations split into <see cref="Chunks"/> contiguous chunks
/// (chunk c runs iterations <c>count·c/chunks … count·(c+1)/chunks - 1</c>), handed out one at a
/// time to whichever thread asks next, so uneven iterations balance. The first chunk that raises
/// stops the hand-out; its exception record (the lowest chunk's, if several raised) is kept.
/// </summary>
/// <remarks>
/// Not disposable on purpose: the last helper may still be inside <see cref="ManualResetEventSlim.Set"/>
/// when the waiting caller wakes and returns; disposing the event then would throw on that helper's
/// thread and abort the process. The event has no kernel object unless a wait needed one, which its
/// finalizer releases.
/// </remarks>
#pragma warning disable CA1001 // see the remarks: the event is never disposed
internal sealed unsafe class ParallelJob(nint chunk, nint environment, long count, int chunks, nint cells, int cellBytes)
#pragma warning restore CA1001
{
    readonly object failing = new();
    readonly byte[] failure = new byte[NativeAbi.ExceptionRecordSize];
    readonly ManualResetEventSlim helpersDone = new(false);
    int next = -1;
    int helpers;
    volatile bool stopped;

    public int Chunks => chunks;

    /// <summary>The loop's iteration count.</summary>
    public long Count => count;

    /// <summary>The chunk that raised first in iteration order, or -1.</summary>
    public int FailedChunk { get; private set; } = -1;

    /// <summary>How many pool threads were woken for this job; each calls <see cref="HelperDone"/> once.</summary>
    public int Participants
    {
        set
        {
            helpers = value;
            if (value == 0)
                helpersDone.Set();
        }
    }

    /// <summary>Takes chunks until none is left or one has raised.</summary>
    public void Work() => Work(int.MaxValue);

    /// <summary>Takes at most <paramref name="most"/> chunks, stopping early when none is left or one has raised.</summary>
    public void Work(int most)
    {
        byte* record = stackalloc byte[NativeAbi.ExceptionRecordSize];
        var run = (delegate* unmanaged<nint, long, long, nint, nint, int>)chunk;
        for (int taken = 0; taken < most && !stopped; taken++)
        {
            int c = Interlocked.Increment(ref next);
            if (c >= chunks)
                return;
            long first = (long)((Int128)count * c / chunks), last = (long)((Int128)count * (c + 1) / chunks);
            if (run(environment, first, last, (nint)record, cells + (nint)c * cellBytes) == NativeAbi.StatusOk)
                continue;
            lock (failing)
            {
                if (FailedChunk < 0 || c < FailedChunk)
                {
                    FailedChunk = c;
                    new ReadOnlySpan<byte>(record, NativeAbi.ExceptionRecordSize).CopyTo(failure);
                }
            }
            stopped = true;
        }
    }

    public void HelperDone()
    {
        if (Interlocked.Decrement(ref helpers) == 0)
            helpersDone.Set();
    }

    public void WaitForHelpers() => helpersDone.Wait();

    /// <summary>Copies the failed chunk's exception record to <paramref name="record"/>.</summary>
    public void CopyFailure(nint record) => failure.CopyTo(new Span<byte>((void*)record, NativeAbi.ExceptionRecordSize));
}
