using System.Reflection;
using System.Runtime.CompilerServices;
using Targets.Runtime;

namespace Targets.Cpu;

/// <summary>
/// The owner of boxes of instances made by cpu compiled code under one layout context: reference
/// counting through the runtime's entry points, and method calls compiled on first use (under the
/// same context, so an instance's methods see the layout it was made with). An owner lives as long
/// as its context: the boxes it owns hold it, and it holds the context.
/// </summary>
#pragma warning disable CA1001 // the target it holds is never disposed: boxes may call methods until the process ends
internal sealed unsafe class CpuObjects : IJitObjectOwner
{
    // Weak keys: an owner lives as long as its context (which the boxes' code holds), not the process.
    static readonly ConditionalWeakTable<LayoutContext, CpuObjects> Owners = new();

    readonly CpuTarget methods;

    CpuObjects(LayoutContext layouts)
    {
        Layouts = layouts;
        methods = new CpuTarget(layouts);
    }

    /// <summary>The owner of boxes made under <paramref name="layouts"/>.</summary>
    public static CpuObjects For(LayoutContext layouts) => Owners.GetValue(layouts, l => new CpuObjects(l));

    public LayoutContext Layouts { get; }

    public void Retain(nint memInfo) => Gated(HostTarget.Runtime.Incref, memInfo);

    public void Release(nint memInfo) => Gated(HostTarget.Runtime.Decref, memInfo);

    /// <summary>Calls the runtime's <paramref name="function"/> on <paramref name="memInfo"/> counted in (never while the cycle collector runs).</summary>
    static void Gated(nint function, nint memInfo)
    {
        using CallCounter.Scope counted = CallCounter.Current.Counted();
        ((delegate* unmanaged<nint, void>)function)(memInfo);
    }

    /// <summary>Takes the reference a temporary box holds, leaving the box empty (for re-boxing under another type).</summary>
    public nint Detach(JitObject box)
    {
        nint memInfo = box.MemInfo;
        Retain(memInfo);
        box.Dispose();
        return memInfo;
    }

    public nint Adopt(Array array) => CpuRuntime.Adopt(array);

    public object CopyOut(JitObject container, Type declared) => Crossing(declared).Out(container);

    public JitObject CopyIn(object collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        Host.CollectionCrossing crossing = Crossing(collection.GetType());
        if (crossing.Refusal(collection) is { } refusal)
            throw new ArgumentException($"A {Frontend.Il.Collections.CollectionTypes.Describe(collection.GetType())} cannot cross to compiled code: {refusal}.", nameof(collection));
        return crossing.In(methods, collection);
    }

    /// <summary>How <paramref name="declared"/> crosses, when its elements can.</summary>
    static Host.CollectionCrossing Crossing(Type declared) =>
        Host.CollectionCrossing.For(declared) is { } crossing && Host.CollectionCrossing.ElementsHoldingReferences(declared) is null
            ? crossing
            : throw new ArgumentException(
                $"{Frontend.Il.Collections.CollectionTypes.Describe(declared)} holds {Host.CollectionCrossing.ElementsHoldingReferences(declared)?.Name ?? "what compiled code keeps as its own"}, which cannot cross between .NET and compiled code: read it in compiled code.",
                nameof(declared));

    public object? Invoke(JitObject target, string method, object?[] args)
    {
        MethodInfo[] candidates = target.Type.ClrType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.Name == method).ToArray();
        if (candidates.Length == 0)
            throw new ArgumentException($"{target.Type.Name} has no public instance method {method}.", nameof(method));
        (MethodInfo chosen, object?[] converted) = Host.HostOverloads.Choose(candidates, args, $"{target.Type.Name}.{method}");
        return methods.Compile(chosen).Invoke([target, .. converted]);
    }
}
#pragma warning restore CA1001
