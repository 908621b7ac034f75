using Targets.Cpu.Host;
using Targets.Llvm.Linking;

namespace Targets.Cpu.Cache;

/// <summary>
/// Native code that is the same in every process on this machine and never released (the NRT
/// runtime, each jit-class destructor): loaded from the persistent cache when it holds an intact
/// entry that loads, else compiled, kept there and loaded — always by <see cref="NativeImage"/>
/// against <see cref="HostSymbols"/>, never by the JIT, so a warm process needs no LLVM for it.
/// </summary>
internal static class CachedObject
{
    /// <param name="key">The entry's key (<see cref="CacheKey.OfText"/>).</param>
    /// <param name="module">The entry's module name.</param>
    /// <param name="compile">Makes the object file when the cache has none (the only step that needs LLVM).</param>
    /// <param name="timings">Where the load's time goes, as "<paramref name="what"/>: load[ from the cache]"; none when null.</param>
    /// <param name="what">The phase's prefix in <paramref name="timings"/>.</param>
    public static NativeImage Load(string key, string module, Func<byte[]> compile, CompileTimings? timings = null, string what = "")
    {
        T Measure<T>(string phase, Func<T> step) => timings is null ? step() : timings.Measure($"{what}: {phase}", step);
        if (CompileCache.Enabled && CompileCache.Load(key) is { } entry)
        {
            try
            {
                return Measure("load from the cache", () => NativeImage.Load(entry.ObjectFile, HostSymbols.Resolve));
            }
            catch (Exception e) when (e is NotSupportedException or InvalidDataException)
            {
                CompileCache.Unusable(key, $"it could not be loaded ({e.Message})");
            }
        }
        byte[] objectFile = compile();
        if (CompileCache.Enabled)
            CompileCache.Store(key, new CacheMetadata(module, "", "", [], new Dictionary<string, IReadOnlyDictionary<string, int>>()), objectFile);
        return Measure("load", () => NativeImage.Load(objectFile, HostSymbols.Resolve));
    }
}
