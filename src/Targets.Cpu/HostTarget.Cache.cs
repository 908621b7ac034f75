using System.Reflection;
using Targets.Cache;
using Targets.Cpu.Cache;
using Targets.Cpu.Host;
using Targets.Frontend;
using Targets.Frontend.Ir;
using Targets.Llvm.Linking;
using Targets.Llvm.Lowering;

namespace Targets.Cpu;

/// <summary>
/// What callers of a compiled entry need, however it was made (compiled now or loaded from the
/// persistent cache): its host signature, timings, the frontend's pass counts, the entry
/// trampoline's address, the layouts of the jit classes its code reads (for sharing with other
/// targets), and its stages for <see cref="CompiledFunction.Inspect"/>.
/// </summary>
internal sealed record EntryCode(HostSignature Signature, CompileTimings Timings, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> PassCounts,
    nint Address, IReadOnlyList<JitClassType> Layouts, Func<Stage, string> Inspect, bool Brief);

/// <summary>
/// The persistent cache in the host targets' compilation: a function whose key (see
/// <see cref="CacheKey"/>) has an intact entry is linked from its object file without running the
/// frontend or LLVM's optimiser; otherwise it is compiled and its object file kept. Either way the
/// object is loaded by <see cref="NativeImage"/> (never by the ORC JIT, so one entry can be loaded
/// any number of times in a process: its symbols are private to each load), which is what lets a
/// process whose code all comes from the cache run without loading LLVM. Anything wrong with an
/// entry falls back to compiling (see <see cref="CompileCache"/>).
/// </summary>
public abstract partial class HostTarget
{
    (EntryCode Code, IDisposable Module) CompileCached(MethodInfo method, CompileOptions options)
    {
        if (options.Cache && !options.LazyCallees && options.Tier != CompileTier.Quick && CompileCache.Enabled)
        {
            Lazy<HostSignature> signature = new(() => Reflected(method));
            // A cache holding nothing from this build of the compiler (a first run, a new version, a
            // cleared cache) will miss: LLVM starts loading now, beside the key's walk and the
            // frontend, once the native calls they need have been made (see PrepareJit).
            if (!CompileCache.HoldsCodeOf(CacheKey.CompilerBuild))
            {
                CacheKey.PrepareMachine();
                PrepareJit(method);
            }
            else
                PrepareHit(signature);
            var timings = new CompileTimings();
            CacheKey? key = timings.Measure("cache: key", () => CacheKey.Of(method, options, $"{Name}/{ParallelWorkers}", Layouts));
            string? name = key is null ? null : $"c{key.Hash}";
            if (key is not null)
                return Load(method, options, key, name!, signature, timings) ?? Compile(method, options, key, name, timings);
        }
        return Compile(method, options, null, null, null);
    }

    static int preparingHit;

    /// <summary>
    /// The first likely cache hit in a process (the cache holds this compiler's code) has the other
    /// core compute the key's machine part (which the key adds last), install the NRT runtime,
    /// reflect the entry's signature and warm .NET's dynamic methods (see
    /// <see cref="HostStubGenerator.Warm"/>) while this thread walks the call graph and reads the
    /// entry. A hit is little but such first-time costs, each a few milliseconds; measured: a fresh
    /// process's first call from the cache, median of 20 interleaved, 39.7 -> 28.8 ms. Later hits
    /// find all of it done.
    /// </summary>
    static void PrepareHit(Lazy<HostSignature> signature)
    {
        if (Interlocked.Exchange(ref preparingHit, 1) != 0)
            return;
        OnAnotherCore("targets: prepare a cache hit", () =>
        {
            CacheKey.PrepareMachine();
            _ = Runtime;
            _ = signature.Value;
            HostStubGenerator.Warm();
        });
    }

    /// <summary>Compiles through the frontend; with a key, the object file is kept in the cache before it is linked.</summary>
    (EntryCode, IDisposable) Compile(MethodInfo method, CompileOptions options, CacheKey? key, string? name, CompileTimings? before, FunctionArguments? functions = null)
    {
        if (key is not null)
            PrepareJit(method, [.. key.JitClasses.Select(Layouts.Layout)]);
        (IrModule ir, nint address, _, string linked, IDisposable code, bool brief) = CompileCode(method, options, name: name,
            keep: key is null ? null : (ir, objectFile, destructors, brief) => Keep(method, key, name!, ir, objectFile, destructors, brief), functions: functions);
        // The key was computed first: its phase leads.
        var timings = new CompileTimings();
        if (before is not null)
            timings.Add(before);
        timings.Add(ir.Timings);
        var entry = new EntryCode(HostSignature.Of(ir.Entry), timings, ir.PassCounts, address, [.. ClassesRead(ir).Select(Layouts.Layout)],
            stage => Inspect(ir, linked, options, stage), brief);
        return (entry, code);
    }

    /// <summary>Stores the entry, unless the host signature a hit would rebuild from reflection is not the compiled one (then a hit could not call it).</summary>
    void Keep(MethodInfo method, CacheKey key, string name, IrModule ir, byte[] objectFile, IReadOnlyCollection<JitClassType> destructors, bool brief)
    {
        HostSignature compiled = HostSignature.Of(ir.Entry);
        if (!SameSignature(compiled, Reflected(method)))
            return;
        var metadata = new CacheMetadata(name, HostLowering.EntrySymbol(ir, name), HostLowering.DirectSymbol(ir, name),
            [.. destructors.Select(d => new CachedDestructor(KeyHash.TypeName(d.ClrType), InstanceDestructors.NameOf(d)))], ir.PassCounts, brief);
        CompileCache.Store(key.Hash, metadata, objectFile, CacheKey.CompilerBuild);
    }

    /// <summary>The entry's signature from the method's declaration alone (what a hit has): its symbol is the one the frontend gives an entry.</summary>
    HostSignature Reflected(MethodInfo method) =>
        HostSignature.Of(FrontendCompiler.DeclareEntry(method, Layouts));

    static bool SameSignature(HostSignature a, HostSignature b) =>
        a.Name == b.Name && a.Uncallable == b.Uncallable && a.Return.ToString() == b.Return.ToString()
        && a.Parameters.Select(p => p.ToString()).SequenceEqual(b.Parameters.Select(p => p.ToString()));

    /// <summary>The function from its cache entry, or null (a miss, or an entry that cannot be used: refused, deleted, reported).</summary>
    (EntryCode, IDisposable)? Load(MethodInfo method, CompileOptions options, CacheKey key, string name, Lazy<HostSignature> reflected, CompileTimings timings)
    {
        if (timings.Measure("cache: read entry", () => CompileCache.Load(key.Hash)) is not { } entry)
            return null;
        (CacheMetadata metadata, byte[] objectFile) = entry;
        if (metadata.Module != name)
            return Unusable(key, $"it names module {metadata.Module}, not {name}");
        _ = Runtime; // the code calls it
        string? wrong = timings.Measure("cache: destructors", () =>
        {
            foreach (CachedDestructor destructor in metadata.Destructors)
            {
                // The code calls each destructor by a symbol derived from its layout: define it here, or miss.
                Type? type = null;
                foreach (Type jitClass in key.JitClasses)
                    type ??= KeyHash.TypeName(jitClass) == destructor.Class ? jitClass : null;
                JitClassType? layout = type is null ? null : Layouts.Layout(type);
                if (layout is null || InstanceDestructors.NameOf(layout) != destructor.Symbol)
                    return $"its destructor {destructor.Symbol} for {destructor.Class} is not this layout's";
                Destructors.SymbolOf(layout);
            }
            return null;
        });
        if (wrong is not null)
            return Unusable(key, wrong);
        NativeImage image;
        try
        {
            image = timings.Measure("cache: load object", () => NativeImage.Load(objectFile, HostSymbols.Resolve));
        }
#pragma warning disable CA1031 // whatever loading an entry throws, it is a miss: the function is compiled instead
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Unusable(key, $"it could not be loaded ({e.GetType().Name}: {e.Message})");
        }
        if (!image.Exports.TryGetValue(metadata.Entry, out nint address) || !image.Exports.ContainsKey(metadata.Direct))
        {
            image.Dispose();
            return Unusable(key, "it does not define the entry it names");
        }
        HostSignature signature = timings.Measure("cache: signature", () => reflected.Value);
        timings.Report($"{method.DeclaringType?.Name}.{method.Name} ({Name}, from the cache)");
        var layouts = new JitClassType[key.JitClasses.Count];
        for (int n = 0; n < layouts.Length; n++)
            layouts[n] = Layouts.Layout(key.JitClasses[n]);
        var loaded = new EntryCode(signature, timings, metadata.PassCounts, address, layouts,
            stage => Inspect(CompileDriver.Frontend(method, options, Lowering(options)), name, options, stage), metadata.Brief);
        return (loaded, image);
    }

    static (EntryCode, IDisposable)? Unusable(CacheKey key, string why)
    {
        CompileCache.Unusable(key.Hash, why);
        return null;
    }
}
