namespace Targets.Cuda.Simulator;

/// <summary>
/// Runs a simulated launch: the kernel's trampoline once for every thread of the grid, each with
/// its coordinates. A kernel that uses the barrier, shared memory or warp shuffles runs <i>cooperatively</i>: one
/// OS thread per thread of a block, blocks one after another, so the threads of a block really
/// interleave at <c>Cuda.SyncThreads()</c>. Any other kernel's blocks run across cores,
/// the threads of a block one after another (nothing in such a kernel can observe the order).
/// </summary>
internal static unsafe class SimulatedGrid
{
    /// <summary>Stack of each cooperative thread: kernels recurse little, but C# frames are large.</summary>
    const int ThreadStack = 4 << 20;

    public static void Run(delegate* unmanaged<nint, void> trampoline, nint slots, Dim3 grid, Dim3 block, bool cooperative)
    {
        if (grid.Count == 1 && block.Count == 1)
            RunOne(trampoline, slots, grid, block); // a function (Invoke): on the caller's thread, with its stack
        else if (cooperative)
            RunCooperative(trampoline, slots, grid, block);
        else
            Parallel.For(0L, grid.Count, b =>
            {
                var thread = new SimulatedThread();
                SimulatorRuntime.Current = thread;
                try
                {
                    for (long t = 0; t < block.Count; t++)
                    {
                        thread.Place(grid, block, Split(b, grid), Split(t, block));
                        trampoline(slots);
                    }
                }
                finally
                {
                    SimulatorRuntime.Current = null;
                }
            });
    }

    static void RunOne(delegate* unmanaged<nint, void> trampoline, nint slots, Dim3 grid, Dim3 block)
    {
        var thread = new SimulatedThread { Block = new BlockState(1) };
        thread.Place(grid, block, (0, 0, 0), (0, 0, 0));
        SimulatedThread? outer = SimulatorRuntime.Current;
        SimulatorRuntime.Current = thread;
        try
        {
            trampoline(slots);
        }
        finally
        {
            SimulatorRuntime.Current = outer;
            thread.Block.Dispose();
        }
    }

    static void RunCooperative(delegate* unmanaged<nint, void> trampoline, nint slots, Dim3 grid, Dim3 block)
    {
        int threads = (int)block.Count;
        using var state = new BlockState(threads);
        using var between = new Barrier(threads, _ => state.Reset());
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            (int X, int Y, int Z) coordinates = Split(t, block);
            workers[t] = new Thread(() =>
            {
                var thread = new SimulatedThread { Block = state };
                SimulatorRuntime.Current = thread;
                for (long b = 0; b < grid.Count; b++)
                {
                    thread.Place(grid, block, Split(b, grid), coordinates);
                    trampoline(slots);
                    state.Exit(thread.LinearThread);
                    between.SignalAndWait();
                }
                SimulatorRuntime.Current = null;
            }, ThreadStack) { IsBackground = true, Name = $"cuda-sim thread {t}" };
        }
        foreach (Thread worker in workers)
            worker.Start();
        foreach (Thread worker in workers)
            worker.Join();
    }

    /// <summary>A linear index into X-fastest coordinates within <paramref name="size"/>.</summary>
    static (int X, int Y, int Z) Split(long linear, Dim3 size) =>
        ((int)(linear % size.X), (int)(linear / size.X % size.Y), (int)(linear / ((long)size.X * size.Y)));
}
