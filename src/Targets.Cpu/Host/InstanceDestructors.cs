using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Targets.Cache;
using Targets.Cpu.Cache;
using Targets.Llvm;
using Targets.Llvm.Lowering;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>
/// The destructor of each jit-class layout and its class record, one per process, each loaded on its own (never removed;
/// from the persistent cache when it has it, without LLVM): <c>void (ptr data, i64 size, ptr info, ptr worklist)</c>, releasing each
/// reference field into the runtime's worklist (so dropping a long chain never recurses). An
/// instance keeps its class record's address (and through it the destructor's) for as long as it
/// lives, possibly longer than the code that made it: compiled functions can be released, their
/// instances' records and destructors cannot.
/// A destructor's symbol is derived from what it does (the class, its size and the offsets and
/// kinds of its reference fields), not from the order of definition: the same layout has the same symbol in
/// every process, so native code compiled in one can be linked in another (a persistent cache),
/// and layouts of one size that release the same fields share one destructor.
/// </summary>
internal sealed class InstanceDestructors(Func<JitEngine> compiler)
{
    readonly ConditionalWeakTable<JitClassType, string> symbols = new();
    readonly HashSet<string> defined = [];

    /// <summary>The symbol of <paramref name="layout"/>'s destructor, loaded and defined for both linkers on first request.</summary>
    public string SymbolOf(JitClassType layout) => symbols.GetValue(layout, Define);

    static readonly ConditionalWeakTable<JitClassType, string> Names = new();

    /// <summary>
    /// The symbol <paramref name="layout"/>'s destructor has in any process: the class's name and a
    /// hash of the code. Code calling the destructor is lowered against this name while the
    /// destructor itself is loaded or compiled (<see cref="SymbolOf"/>) on another thread.
    /// </summary>
    public static string NameOf(JitClassType layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Names.GetValue(layout, Name);
    }

    static string Name(JitClassType layout)
    {
        string identity = $"{layout.ClrType.Assembly.FullName}|{layout.ClrType.FullName}|{Text("dtor", "class", layout)}";
        Span<byte> digest = stackalloc byte[Hash128.Length];
        Hash128.Of(Encoding.UTF8.GetBytes(identity), digest);
        string hash = Hash128.Hex(digest[..8]);
        return $"dtor.{hash}.{layout.ClrType.Name}";
    }

    /// <summary>
    /// The symbol of the class record (<c>{ ptr dtor, i64 size, i64 id, i64 depth, ptr interfaces, ptr references, [depth + 1 x i64] ancestry }</c>,
    /// what an instance's header points to: <see cref="JitClassType.ClassId"/>, the ids of the interfaces the class
    /// implements (<c>{ i64 count, ids… }</c>), where its instance fields are when the cycle collector tracks it
    /// (<see cref="IsTracked"/>; null otherwise), and the ids of its jit-class ancestors from the root down to itself, which
    /// virtual calls and type tests read) defined beside the destructor named <paramref name="destructor"/>.
    /// </summary>
    public static string RecordOf(string destructor) => "class." + destructor["dtor.".Length..];

    /// <summary>Loads the destructor (from the persistent cache, else compiled with <c>default&lt;O2&gt;</c> and kept there) and defines its symbol.</summary>
    string Define(JitClassType layout)
    {
        string name = NameOf(layout);
        lock (defined)
        {
            if (defined.Contains(name))
                return name; // another Define of the class releases the same fields: one destructor serves both
            string text = Text(name, RecordOf(name), layout);
            // Loaded for good (the object's symbol is defined for both linkers): instances outlive any code.
            _ = CachedObject.Load(CacheKey.OfText("destructor", text), name, () => Compile(name, text), compiler);
            defined.Add(name);
            return name;
        }
    }

    /// <summary>
    /// The destructors' own host target machine (the JIT's settings, so the same code): a target
    /// machine serialises its users, and a first compilation's destructors are compiled on the
    /// preparation thread while the caller optimises and generates its function.
    /// </summary>
    readonly Lazy<TargetMachine> machine = new(() => TargetMachine.CreateHost());

    /// <summary>The destructor compiled (<c>default&lt;O2&gt;</c>) to an object file.</summary>
    byte[] Compile(string name, string text)
    {
        _ = compiler(); // LLVM loaded, its targets initialised
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = context.ParseIr(text, name);
        machine.Value.Configure(module);
        machine.Value.Optimize(module, "default<O2>");
        return machine.Value.EmitObject(module);
    }

    /// <summary>
    /// The destructor and the class record as LLVM IR: each reference the instance holds
    /// (<see cref="JitClassType.References"/>: fields, and references inside struct fields) is
    /// released; an array is a descriptor whose owner (null for a .NET array) is released. The record is 16-aligned: the low bits of an instance's
    /// tag are the runtime's (see <see cref="NrtRuntimeIr.HeaderSize"/>).
    /// </summary>
    static string Text(string name, string record, JitClassType layout)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $$"""
            declare void @{{NrtRuntimeIr.ReleaseDeferred}}(ptr, ptr)
            @{{NrtRuntimeIr.State}} = external global [{{NrtState.Fields}} x i64]
            @"{{record}}.interfaces" = internal constant [{{Interfaces(layout).Count + 1}} x i64] [i64 {{Interfaces(layout).Count}}{{string.Concat(Interfaces(layout).Select(id => $", i64 {id}"))}}], align 8
            {{References(record, layout)}}
            @"{{record}}" = constant { ptr, i64, i64, i64, ptr, ptr, [{{layout.Ancestry().Count}} x i64] } { ptr @"{{name}}", i64 {{layout.Size}}, i64 {{layout.ClassId}}, i64 {{layout.Ancestry().Count - 1}}, ptr @"{{record}}.interfaces", ptr {{(IsTracked(layout) ? $"@\"{record}.references\"" : "null")}}, [{{layout.Ancestry().Count}} x i64] [{{string.Join(", ", layout.Ancestry().Select(id => $"i64 {id}"))}}] }, align 16

            ; nrt_release_deferred with its commonest case inlined: a child whose count is 1 (this
            ; instance held its only reference) joins the worklist after an acquire load, as the runtime
            ; does; a shared child, and every child in debug mode (traced, checked), go to the runtime.
            define internal void @release(ptr %mi, ptr %worklist, i1 %debug) alwaysinline {
            entry:
              %null = icmp eq ptr %mi, null
              br i1 %null, label %done, label %check
            check:
              br i1 %debug, label %runtime, label %fast
            fast:
              %count = load atomic i64, ptr %mi acquire, align 8
              %sole = icmp eq i64 %count, 1
              br i1 %sole, label %push, label %runtime
            push:
              %head = load ptr, ptr %worklist, align 8
              store ptr %head, ptr %mi, align 8
              store ptr %mi, ptr %worklist, align 8
              br label %done
            runtime:
              call void @{{NrtRuntimeIr.ReleaseDeferred}}(ptr %mi, ptr %worklist)
              br label %done
            done:
              ret void
            }

            define void @"{{name}}"(ptr %data, i64 %size, ptr %info, ptr %worklist) {
            entry:
              %flagsp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @{{NrtRuntimeIr.State}}, i64 0, i64 {{NrtState.Flags}}
              %flags = load atomic i64, ptr %flagsp monotonic, align 8
              %debugbit = and i64 %flags, {{NrtState.DebugOn}}
              %debug = icmp ne i64 %debugbit, 0

            """);
        IReadOnlyList<JitReference> references = layout.References;
        for (int n = 0; n < references.Count; n++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  %p{n} = getelementptr inbounds i8, ptr %data, i64 {references[n].Offset}\n  %v{n} = load ptr, ptr %p{n}, align 8\n");
            string owner = $"%v{n}";
            if (references[n].IsArray)
            {
                text.Append(CultureInfo.InvariantCulture, $"""
                      %null{n} = icmp eq ptr %v{n}, null
                      br i1 %null{n}, label %next{n}, label %array{n}
                    array{n}:
                      %op{n} = getelementptr inbounds i8, ptr %v{n}, i64 {NativeAbi.DescriptorOwner}
                      %o{n} = load ptr, ptr %op{n}, align 8
                      br label %next{n}
                    next{n}:
                      %w{n} = phi ptr [ null, %{Previous(references, n)} ], [ %o{n}, %array{n} ]

                    """);
                owner = $"%w{n}";
            }
            text.Append(CultureInfo.InvariantCulture, $"  call void @release(ptr {owner}, ptr %worklist, i1 %debug)\n");
        }
        return text.Append("  ret void\n}\n").ToString();
    }

    /// <summary>Asked only which types are jit classes (as every layout context answers), for <see cref="IsTracked"/>.</summary>
    static readonly LayoutContext Classes = new();

    /// <summary>
    /// Whether the cycle collector tracks instances of <paramref name="layout"/>: those of a class whose instance fields
    /// can lead back to it (<see cref="Frontend.Il.ClassCycles"/>) unless it is marked <see cref="JitClassAttribute.Acyclic"/>.
    /// Decided once per class, from the assemblies loaded then.
    /// </summary>
    public static bool IsTracked(JitClassType layout) =>
        layout.ClrType.GetCustomAttribute<JitClassAttribute>() is not { Acyclic: true } && Frontend.Il.ClassCycles.IsCyclic(layout.ClrType, Classes);

    /// <summary>
    /// A tracked class's references table, <c>{ i64 count, i64 offsets… }</c>: where its instance fields (those inside
    /// struct fields included) lie in its data, the edges the collector follows. Nothing for a class not tracked.
    /// </summary>
    static string References(string record, JitClassType layout)
    {
        if (!IsTracked(layout))
            return "";
        List<int> offsets = [.. layout.References.Where(r => !r.IsArray).Select(r => r.Offset)];
        return $"@\"{record}.references\" = internal constant [{offsets.Count + 1} x i64] [i64 {offsets.Count}{string.Concat(offsets.Select(o => $", i64 {o}"))}], align 8";
    }

    /// <summary>The ids of the interfaces the class implements (its bases' included), in a fixed order.</summary>
    static List<long> Interfaces(JitClassType layout) =>
        [.. layout.ClrType.GetInterfaces().Select(Frontend.Ir.ClassIdentity.Of).Order()];

    /// <summary>The block the code of reference <paramref name="n"/> starts in: the join block of the last array before it.</summary>
    static string Previous(IReadOnlyList<JitReference> references, int n)
    {
        for (int k = n - 1; k >= 0; k--)
        {
            if (references[k].IsArray)
                return $"next{k}";
        }
        return "entry";
    }
}
