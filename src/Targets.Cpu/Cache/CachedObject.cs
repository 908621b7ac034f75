using Targets.Cache;
using Targets.Cpu.Host;
using Targets.Llvm;
using Targets.Llvm.Linking;

namespace Targets.Cpu.Cache;

/// <summary>
/// Native code that is the same in every process on this machine and never released (the NRT
/// runtime, each jit-class destructor): loaded from the persistent cache when it holds an intact
/// entry that loads, else compiled, kept there and loaded — by <see cref="NativeImage"/> against
/// <see cref="HostSymbols"/> (its global symbols defined there), so a warm process needs no LLVM
/// for it. Where the project's loader is not used (<see cref="CompileCache.OwnLoader"/>), the object
/// is compiled and added to the ORC JIT instead, which resolves it itself.
/// </summary>
internal static class CachedObject
{
    /// <param name="key">The entry's key (<see cref="CacheKey.OfText"/>).</param>
    /// <param name="module">The entry's module name.</param>
    /// <param name="compile">Makes the object file when the cache has none (the only step that needs LLVM).</param>
    /// <param name="jit">The ORC JIT, for hosts where the project's loader is not used.</param>
    /// <param name="timings">Where the load's time goes, as "<paramref name="what"/>: load[ from the cache]"; none when null.</param>
    /// <param name="what">The phase's prefix in <paramref name="timings"/>.</param>
    /// <returns>The address of each symbol the object defines.</returns>
    public static Func<string, nint> Load(string key, string module, Func<byte[]> compile, Func<JitEngine> jit, CompileTimings? timings = null, string what = "")
    {
        if (!CompileCache.OwnLoader)
            return Load(compile(), module, jit, timings, what);
        NativeImage? image = null;
        if (CompileCache.Enabled && CompileCache.Load(key) is { } entry)
        {
            try
            {
                image = Measure(timings, what, "load from the cache", () => NativeImage.Load(entry.ObjectFile, HostSymbols.Resolve));
            }
#pragma warning disable CA1031 // whatever loading an entry throws, it is a miss: the object is compiled instead
            catch (Exception e)
#pragma warning restore CA1031
            {
                CompileCache.Unusable(key, $"it could not be loaded ({e.GetType().Name}: {e.Message})");
            }
        }
        if (image is not null)
            return Define(image);
        byte[] objectFile = compile();
        if (CompileCache.Enabled)
            CompileCache.Store(key, new CacheMetadata(module, "", "", [], new Dictionary<string, IReadOnlyDictionary<string, int>>(), Brief: false), objectFile, CacheKey.CompilerBuild);
        return Load(objectFile, module, jit, timings, what);
    }

    /// <summary>
    /// Loads an object file in hand (compiled now, or built with the compiler) by the project's
    /// loader, or adds it to the ORC JIT where that loader is not used; a file the loader refuses is
    /// an <see cref="InvalidDataException"/> or <see cref="NotSupportedException"/>.
    /// </summary>
    /// <returns>The address of each symbol the object defines.</returns>
    public static Func<string, nint> Load(byte[] objectFile, string module, Func<JitEngine> jit, CompileTimings? timings = null, string what = "")
    {
        if (!CompileCache.OwnLoader)
        {
            JitEngine engine = jit();
            Measure(timings, what, "load", () => engine.AddObject(objectFile, module));
            return engine.Lookup;
        }
        return Define(Measure(timings, what, "load", () => NativeImage.Load(objectFile, HostSymbols.Resolve)));
    }

    /// <summary>Defines the image's global symbols for every linker.</summary>
    static Func<string, nint> Define(NativeImage image)
    {
        foreach ((string name, nint address) in image.Exports)
            HostSymbols.Define(name, address);
        return image.Lookup;
    }

    static T Measure<T>(CompileTimings? timings, string what, string phase, Func<T> step) =>
        timings is null ? step() : timings.Measure($"{what}: {phase}", step);
}
