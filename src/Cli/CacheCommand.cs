using System.Globalization;
using Targets.Cache;

namespace Targets.Cli;

/// <summary>
/// <c>targets cache info|clear</c>: the persistent compile cache of the cpu and parallel targets
/// (<see cref="CompileCache"/>) — where it is, whether it is on, how many entries and bytes it
/// holds against its limit — and emptying it. The directory is the one compiled code in this
/// environment would use (<c>TARGETS_CACHE_DIR</c>, else the user's cache directory).
/// </summary>
internal static class CacheCommand
{
    internal static string Info()
    {
        CompileCacheInfo info = CompileCache.Info();
        string state = info.Off is { } why ? $"off: {why}" : "on";
        return string.Create(CultureInfo.InvariantCulture, $"""
            cache: {info.Directory}
              state:   {state}
              entries: {info.Entries}
              size:    {Megabytes(info.Bytes)} of {Megabytes(info.SizeLimit)} (TARGETS_CACHE_MAX_MB; least recently used entries go first)
            """);
    }

    internal static string Clear()
    {
        string directory = CompileCache.Directory;
        int removed = CompileCache.Clear();
        return string.Create(CultureInfo.InvariantCulture, $"cache: removed {removed} {(removed == 1 ? "entry" : "entries")} from {directory}");
    }

    static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MB");
}
