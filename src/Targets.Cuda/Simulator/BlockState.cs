using System.Runtime.InteropServices;
using Targets.Frontend.Ir;

namespace Targets.Cuda.Simulator;

/// <summary>
/// One block of a cooperative simulated launch: its barrier and its shared memory. The barrier is
/// real: each thread of the block blocks in <see cref="Arrive"/> until every thread has arrived.
/// A thread that returns from the kernel while others wait at a barrier (or arrives after others
/// returned) is divergence a device would hang on or silently get wrong: every waiting and later
/// arriving thread is released with the divergence flag set, so each raises instead of hanging.
/// Warp shuffles meet the same way per warp (32 consecutive threads): each lane leaves its value,
/// and once every lane of the warp has, each takes its source lane's; values alternate between two
/// buffers so a lane already in the next shuffle cannot overwrite one not yet read.
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
    readonly Warp[] warps;

    /// <summary>One warp's shuffle state.</summary>
    sealed class Warp(int lanes)
    {
        public readonly int Lanes = lanes;
        public readonly int[][] Values = [new int[32], new int[32]];
        public int Arrived, Exited;
        public long Generation;
    }

    public BlockState(int threads)
    {
        this.threads = threads;
        warps = [.. Enumerable.Range(0, (threads + 31) / 32).Select(w => new Warp(Math.Min(32, threads - 32 * w)))];
    }

    /// <summary>
    /// A warp shuffle by thread <paramref name="thread"/> of the block: its source lane's value (its
    /// own where the source is outside the warp), and whether the warp diverged.
    /// </summary>
    public (int Value, bool Diverged) Shuffle(int thread, int value, IntrinsicKind kind, int argument)
    {
        Warp warp = warps[thread / 32];
        int lane = thread % 32;
        int source = kind switch
        {
            IntrinsicKind.ShuffleDown => lane + argument,
            IntrinsicKind.ShuffleXor => lane ^ argument,
            _ => argument & 31,
        };
        lock (gate)
        {
            if (diverged)
                return (value, true);
            long mine = warp.Generation;
            int[] buffer = warp.Values[mine % 2];
            buffer[lane] = value;
            warp.Arrived++;
            if (warp.Arrived == warp.Lanes)
            {
                warp.Arrived = 0;
                warp.Generation++;
                Monitor.PulseAll(gate);
            }
            else if (warp.Arrived + warp.Exited == warp.Lanes)
            {
                Diverge();
                return (value, true);
            }
            else
            {
                while (warp.Generation == mine && !diverged)
                    Monitor.Wait(gate);
                if (diverged)
                    return (value, true);
            }
            return (source >= 0 && source < warp.Lanes ? buffer[source] : value, false);
        }
    }

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

    /// <summary>Thread <paramref name="thread"/> returned from the kernel (normally or by raising).</summary>
    public void Exit(int thread)
    {
        lock (gate)
        {
            exited++;
            Warp warp = warps[thread / 32];
            warp.Exited++;
            if (arrived > 0 && arrived + exited == threads || warp.Arrived > 0 && warp.Arrived + warp.Exited == warp.Lanes)
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
        foreach (Warp warp in warps)
            warp.Arrived = warp.Exited = 0;
    }

    public unsafe void Dispose()
    {
        foreach (nint memory in shared.Values)
            NativeMemory.AlignedFree((void*)memory);
        shared.Clear();
    }
}
