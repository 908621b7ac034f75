
namespace Targets.Testing;

/// <summary>
/// The leak fixture: a test class deriving from this checks, around every test, that compiled
/// code freed every NRT allocation it made (Alloc == Free, MiAlloc == MiFree), once the cycle
/// collector has freed the reference cycles the test dropped (as .NET's GC frees them; an instance
/// leaked by a wrong count is never freed by it). NRT counters are process-wide, so this assembly
/// runs its tests one at a time.
/// </summary>
public abstract class NrtLeakCheck : IDisposable
{
    readonly NrtStats before = Nrt.GetAllocationStats();

    public void Dispose()
    {
        Nrt.CollectCycles();
        NrtStats leaked = Nrt.GetAllocationStats().Since(before);
        Assert.True(leaked.IsBalanced, $"NRT leak in this test: {leaked}");
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs <paramref name="run"/> in NRT debug mode, where freed memory is filled with 0xDE so that
    /// a use after free reads garbage; afterwards, no decref went below zero.
    /// </summary>
    protected static T InDebugMode<T>(Func<T> run)
    {
        Nrt.DebugMode = true;
        try
        {
            return run();
        }
        finally
        {
            Nrt.DebugMode = false;
            Assert.Equal((0L, (nint)0), Nrt.TakeErrors());
        }
    }

    /// <inheritdoc cref="InDebugMode{T}(Func{T})"/>
    protected static void InDebugMode(Action body) => InDebugMode(() =>
    {
        body();
        return 0;
    });

    /// <summary>.NET (the oracle) and compiled code agree: the same value, or the same exception type and message.</summary>
    protected static void Same<T>(Func<T> dotnet, Func<T> compiled)
    {
        T? expectedValue = default, actualValue = default;
        Exception? expected = Record.Exception(() => expectedValue = dotnet());
        Exception? actual = Record.Exception(() => actualValue = compiled());
        Assert.Equal(expected?.GetType(), actual?.GetType());
        Assert.Equal(expected?.Message, actual?.Message);
        Assert.Equal(expectedValue, actualValue);
    }
}
