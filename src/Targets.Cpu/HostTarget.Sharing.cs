using Targets.Cache;
using System.Collections.Concurrent;
using System.Reflection;
using Targets.Cpu.Host;
using Targets.Frontend;
using Targets.Frontend.Ir;

namespace Targets.Cpu;

/// <summary>
/// Compiled code shared by every host target of one kind (name and worker count) in the process:
/// a method compiled with the same options by another target whose layout context lays out every
/// jit class the code reads as the first did is not compiled again (so <c>new CpuTarget().Compile(f)</c>
/// in a loop compiles once). Each target gets its own handle on the module; the module goes when
/// the last handle is released (<see cref="SharedModule"/>).
/// </summary>
public abstract partial class HostTarget
{
    /// <summary>
    /// Code some target compiled or loaded from the persistent cache: what callers need (signature,
    /// timings, pass counts, entry), its handles, the layouts of the classes its code reads, and how
    /// to show its stages (re-lowered by the target that compiled it: the IR is typed by its context).
    /// </summary>
    sealed record SharedEntry(EntryCode Code, SharedModule Module);

    // Arrays replaced whole (never changed in place), not ImmutableList or LINQ: either would load
    // an assembly of its own on every first compilation's path, a cache hit's included.
    static readonly ConcurrentDictionary<CodeKey<MethodInfo, string>, SharedEntry[]> Shared = new();

    /// <summary>The code for <paramref name="method"/> under this target's layouts, joined from another target's compilation when one fits.</summary>
    (EntryCode Code, SharedModule Module) CompileShared(MethodInfo method, CompileOptions options, FunctionArguments? functions = null)
    {
        var key = SharedKey(method, options, functions);
        if (JoinShared(key) is { } joined)
            return joined;
        (EntryCode code, IDisposable jitCode) = functions is null ? CompileCached(method, options) : Compile(method, options, null, null, null, functions);
        SharedEntry? shared = null;
        // Code compiled with lazy callees stays: other compiled code may call it through patched slots.
        var module = new SharedModule(options.LazyCallees ? null : jitCode, () => Shared.AddOrUpdate(key, [], (_, list) => Array.FindAll(list, e => e != shared)));
        module.TryJoin();
        shared = new SharedEntry(code, module);
        Shared.AddOrUpdate(key, [shared], (_, list) => [.. list, shared]);
        return (code, module);
    }

    CodeKey<MethodInfo, string> SharedKey(MethodInfo method, CompileOptions options, FunctionArguments? functions) =>
        new(method, options, $"{Name}/{ParallelWorkers}{(functions is null ? "" : "/" + functions.Key)}");

    /// <summary>The code another target compiled for <paramref name="method"/> with <paramref name="options"/>, joined (the caller leaves it when done); null when there is none.</summary>
    (EntryCode Code, SharedModule Module)? JoinShared(MethodInfo method, CompileOptions options) => JoinShared(SharedKey(method, options, null));

    (EntryCode Code, SharedModule Module)? JoinShared(CodeKey<MethodInfo, string> key)
    {
        foreach (SharedEntry entry in Shared.GetValueOrDefault(key, []))
        {
            if (SameLayouts(entry.Code.Layouts) && entry.Module.TryJoin())
                return (entry.Code, entry.Module);
        }
        return null;
    }

    /// <summary>Whether this target lays out each of <paramref name="layouts"/> as they are.</summary>
    bool SameLayouts(IReadOnlyList<JitClassType> layouts)
    {
        foreach (JitClassType layout in layouts)
        {
            if (!LayoutContext.SameLayout(Layouts.Layout(layout.ClrType), layout))
                return false;
        }
        return true;
    }

    /// <summary>Every jit class whose instances the module's code reads or makes (as values, elements of arrays, or through refs).</summary>
    static HashSet<Type> ClassesRead(IrModule ir)
    {
        var classes = new HashSet<Type>();
        void Add(IrType? type)
        {
            for (; type is not null; type = type.Element)
            {
                if (type.JitClass is { IsInterface: false } clr) // an interface has no layout: the classes that implement it have
                    classes.Add(clr);
            }
        }
        foreach (IrFunction f in ir.Functions)
        {
            Add(f.ReturnType);
            f.ParameterTypes.ToList().ForEach(Add);
            f.Slots.ForEach(Add);
            f.ValueTypes.ForEach(Add);
            foreach (Instruction i in f.Blocks.SelectMany(b => b.Instructions))
                Add(i.TargetType);
        }
        return classes;
    }
}
