[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Targets.Cpu.Tests;

/// <summary>
/// The leak fixture: a test class deriving from this checks, around every test, that compiled
/// code freed every NRT allocation it made (Alloc == Free, MiAlloc == MiFree). NRT counters
/// are process-wide, so this assembly runs its tests one at a time.
/// </summary>
public abstract class NrtLeakCheck : IDisposable
{
    readonly NrtStats before = Nrt.GetAllocationStats();

    public void Dispose()
    {
        NrtStats leaked = Nrt.GetAllocationStats().Since(before);
        Assert.True(leaked.IsBalanced, $"NRT leak in this test: {leaked}");
        GC.SuppressFinalize(this);
    }
}
