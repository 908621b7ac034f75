using System.Runtime.InteropServices;

namespace Targets.Cuda.Simulator;

/// <summary>
/// One block of a cooperative simulated launch: its barrier and its shared memory. The barrier is
/// real: each thread of the block blocks in <see cref="Arrive"/> until every thread has arrived.
/// A thread that returns from the kernel while others wait at a barrier (or arrives after others
/// returned) is divergence a device would hang on or silently get wrong: every waiting and later
/// arriving thread is released with the divergence flag set, so each raises instead of hanging.
/// </summary>
internal sealed class BlockState : IDisposable
{
    readonly int threads;
    readonly object gate = new();
    readonly Dictionary<int, nint> shared = [];
    readonly HashSet<int> cleared = [];
    int arrived, exited;
    long generation;
    bool diverged;

    public BlockState(int threads) => this.threads = threads;

    /// <summary>The barrier: 0 once every thread of the block arrived, 1 when the block diverged.</summary>
    public int Arrive()
    {
        lock (gate)
        {
            if (diverged)
                return 1;
            arrived++;
            if (arrived == threads)
            {
                arrived = 0;
                generation++;
                Monitor.PulseAll(gate);
                return 0;
            }
            if (arrived + exited == threads)
                return Diverge();
            long mine = generation;
            while (generation == mine && !diverged)
                Monitor.Wait(gate);
            return diverged ? 1 : 0;
        }
    }

    /// <summary>A thread returned from the kernel (normally or by raising).</summary>
    public void Exit()
    {
        lock (gate)
        {
            exited++;
            if (arrived > 0 && arrived + exited == threads)
                Diverge();
        }
    }

    int Diverge()
    {
        diverged = true;
        Monitor.PulseAll(gate);
        return 1;
    }

    /// <summary>The block's memory for shared-array site <paramref name="site"/>, zeroed when the block first asks for it.</summary>
    public unsafe nint Shared(int site, long bytes)
    {
        lock (gate)
        {
            if (!shared.TryGetValue(site, out nint memory))
                shared[site] = memory = (nint)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), 16);
            if (cleared.Add(site))
                NativeMemory.Clear((void*)memory, (nuint)bytes);
            return memory;
        }
    }

    /// <summary>Readies the state for the next block (called while every thread waits between blocks).</summary>
    public void Reset()
    {
        arrived = exited = 0;
        diverged = false;
        cleared.Clear();
    }

    public unsafe void Dispose()
    {
        foreach (nint memory in shared.Values)
            NativeMemory.AlignedFree((void*)memory);
        shared.Clear();
    }
}
