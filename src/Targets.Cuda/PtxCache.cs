using System.Text;
using Targets.Cache;
using Targets.Cuda.Lowering;
using Targets.Frontend.Ir;
using Targets.Llvm;

namespace Targets.Cuda;

/// <summary>
/// The cuda target's PTX in the compile cache (<see cref="CompileCache"/>: the same directory,
/// switches, size limit, ownership checks and entry format as the host targets' code). A kernel whose
/// entry is there is loaded without LLVM and without libdevice, so PTX compiled on one machine runs on
/// another that has neither (the hardware bundle, hw-tests/bundle.sh, travels that way).
/// <para>
/// The key is a <see cref="Hash128"/> over what decides the PTX and can be told without LLVM: the
/// entry format; this build of the compiler (the module version ids of the assemblies on the cuda
/// path); the kernel's IR after the cuda pipeline, as printed (every function, instruction, constant
/// and source line the kernel reaches, so the C# it came from); the layout of every jit class the IR
/// names; the entry shape; the PTX architecture and ISA; fast math, bounds checks and the
/// optimisation level. Not in the key: the LLVM library and the libdevice that made the PTX — a
/// machine without them cannot tell them, and any LLVM 19 with any libdevice compiles the same C#
/// semantics — so after changing either, <c>targets cache clear</c> makes the next compile use them.
/// </para>
/// </summary>
internal static class PtxCache
{
    /// <summary>Changes whenever what the key covers or what an entry holds changes.</summary>
    const int FormatVersion = 1;

    static readonly string CompilerBuild = KeyHash.BuildOf(
        typeof(PtxCache).Assembly, typeof(Frontend.FrontendCompiler).Assembly, typeof(LlvmModule).Assembly,
        typeof(Runtime.NrtRuntimeIr).Assembly, typeof(LayoutContext).Assembly);

    /// <summary>The key of <paramref name="ir"/>'s PTX; null where the cache is off for this compilation.</summary>
    public static string? KeyOf(IrModule ir, CudaEntry entry, PtxOptions ptx, CudaOptions cuda, CompileOptions options)
    {
        if (!options.Cache || !CompileCache.Enabled)
            return null;
        var key = new KeyHash();
        key.Add("targets cuda ptx");
        key.Add(FormatVersion);
        key.Add(CompilerBuild);
        key.Add((long)entry.Kind);
        key.Add(entry.Rank);
        key.Add(entry.LongIndex ? 1 : 0);
        key.Add(ptx.Sm);
        key.Add(ptx.EffectivePtxVersion);
        key.Add(cuda.FastMath ? 1 : 0);
        key.Add(cuda.BoundsChecks ? 1 : 0);
        key.Add(options.Optimize ? 1 : 0);
        key.Add(ir.ToString());
        foreach (JitClassType layout in Layouts(ir))
        {
            key.Add(KeyHash.TypeName(layout.ClrType));
            key.Add(layout);
        }
        return Hash128.Hex(key.Finish());
    }

    /// <summary>The module name and PTX kept for <paramref name="key"/>, or null (a miss; a bad entry is refused, deleted and reported by the cache).</summary>
    public static (string Name, string Ptx)? Load(string key)
    {
        if (CompileCache.Load(key) is not ({ } metadata, { } bytes))
            return null;
        string ptx = Encoding.UTF8.GetString(bytes);
        // The checksum and the key vouch for the bytes; this vouches that they are the kernel asked for.
        if (!ptx.Contains($".entry {metadata.Entry}(", StringComparison.Ordinal) || metadata.Entry != CudaEntry.KernelSymbol(metadata.Module))
        {
            CompileCache.Unusable(key, $"the PTX has no entry {metadata.Entry} for module {metadata.Module}");
            return null;
        }
        return (metadata.Module, ptx);
    }

    /// <summary>Keeps the PTX of module <paramref name="name"/> under <paramref name="key"/>. Never throws.</summary>
    public static void Store(string key, string name, string ptx) =>
        CompileCache.Store(key, new CacheMetadata(name, CudaEntry.KernelSymbol(name), "", [], new Dictionary<string, IReadOnlyDictionary<string, int>>(), Brief: false),
            Encoding.UTF8.GetBytes(ptx), build: null);

    /// <summary>The layouts of the jit classes <paramref name="ir"/> names (values, slots, signatures, fields of those), in name order.</summary>
    static List<JitClassType> Layouts(IrModule ir)
    {
        var layouts = (LayoutContext)ir.Types;
        var found = new SortedDictionary<string, JitClassType>(StringComparer.Ordinal);
        void Note(IrType? type)
        {
            while (type is { Element: { } element })
                type = element;
            if (type?.JitClass is not { } clr || found.ContainsKey(KeyHash.TypeName(clr)))
                return;
            JitClassType layout = layouts.Layout(clr);
            found.Add(KeyHash.TypeName(clr), layout);
            foreach (JitField field in layout.Fields)
            {
                JitType fieldType = field.Type;
                while (fieldType.Element is { } element)
                    fieldType = element;
                if (fieldType.InstanceOf is { } inner)
                    Note(layouts.InstanceOf(inner));
            }
        }
        foreach (IrType type in ir.NamedTypes())
            Note(type);
        return [.. found.Values];
    }
}
