namespace Targets;

/// <summary>
/// NRT allocation counters since the process started (or since statistics were turned on):
/// raw allocations and frees, MemInfo creations and destructions. Balanced counts mean no leak.
/// </summary>
public readonly record struct NrtStats(long Alloc, long Free, long MiAlloc, long MiFree)
{
    /// <summary>Counts added since <paramref name="before"/> was taken.</summary>
    public NrtStats Since(NrtStats before) =>
        new(Alloc - before.Alloc, Free - before.Free, MiAlloc - before.MiAlloc, MiFree - before.MiFree);

    /// <summary>Every allocation was freed and every MemInfo destroyed.</summary>
    public bool IsBalanced => Alloc == Free && MiAlloc == MiFree;
}
