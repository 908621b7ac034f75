using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using Targets.Cpu.Host;
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
    /// A module some target compiled: its IR, entry, handles, the layouts of the classes its code
    /// reads, and how to show its stages (re-lowered by the target that compiled it: the IR is typed by its context).
    /// </summary>
    sealed record SharedEntry(IrModule Ir, nint Address, SharedModule Module, IReadOnlyList<JitClassType> Layouts, Func<Stage, string> Inspect);

    static readonly ConcurrentDictionary<(string Kind, MethodInfo Method, CompileOptions Options), ImmutableList<SharedEntry>> Shared = new();

    /// <summary>The code for <paramref name="method"/> under this target's layouts, joined from another target's compilation when one fits.</summary>
    (IrModule Ir, nint Address, SharedModule Module, Func<Stage, string> Inspect) CompileShared(MethodInfo method, CompileOptions options)
    {
        var key = ($"{Name}/{ParallelWorkers}", method, options);
        foreach (SharedEntry entry in Shared.GetValueOrDefault(key, []))
        {
            if (entry.Layouts.All(l => LayoutContext.SameLayout(Layouts.Layout(l.ClrType), l)) && entry.Module.TryJoin())
                return (entry.Ir, entry.Address, entry.Module, entry.Inspect);
        }
        (IrModule ir, nint address, _, string name, Llvm.JitCode jitCode) = CompileCode(method, options);
        SharedEntry? shared = null;
        // Code compiled with lazy callees stays: other compiled code may call it through patched slots.
        var module = new SharedModule(options.LazyCallees ? null : jitCode, () => Shared.AddOrUpdate(key, [], (_, list) => list.Remove(shared!)));
        module.TryJoin();
        // Inspect re-lowers on demand (the pipeline is deterministic): compiling prints nothing.
        shared = new SharedEntry(ir, address, module, [.. ClassesRead(ir).Select(Layouts.Layout)], stage => Inspect(ir, name, method, options, stage));
        Shared.AddOrUpdate(key, [shared], (_, list) => list.Add(shared));
        return (ir, address, module, shared.Inspect);
    }

    /// <summary>Every jit class whose instances the module's code reads or makes (as values, elements of arrays, or through refs).</summary>
    static HashSet<Type> ClassesRead(IrModule ir)
    {
        var classes = new HashSet<Type>();
        void Add(IrType? type)
        {
            for (; type is not null; type = type.Element)
            {
                if (type.JitClass is { } clr)
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
