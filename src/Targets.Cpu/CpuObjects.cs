using System.Reflection;
using Targets.Runtime;

namespace Targets.Cpu;

/// <summary>
/// The owner of boxes of instances made by cpu compiled code: reference counting through the
/// runtime's entry points, and method calls compiled on first use.
/// </summary>
internal sealed unsafe class CpuObjects : IJitObjectOwner
{
    public static CpuObjects Instance { get; } = new();

    static readonly CpuTarget Methods = new();

    public void Retain(nint memInfo) => ((delegate* unmanaged<nint, void>)CpuTarget.Runtime.Incref)(memInfo);

    public void Release(nint memInfo) => ((delegate* unmanaged<nint, void>)CpuTarget.Runtime.Decref)(memInfo);

    /// <summary>Takes the reference a temporary box holds, leaving the box empty (for re-boxing under another type).</summary>
    public static nint Detach(JitObject box)
    {
        nint memInfo = box.MemInfo;
        Instance.Retain(memInfo);
        box.Dispose();
        return memInfo;
    }

    public nint Adopt(Array array) => CpuRuntime.Adopt(array);

    public object? Invoke(JitObject target, string method, object?[] args)
    {
        MethodInfo[] candidates = target.Type.ClrType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.Name == method && m.GetParameters().Length == args.Length).ToArray();
        MethodInfo chosen = candidates.FirstOrDefault(m => m.GetParameters().Zip(args).All(p => p.Second is null || p.First.ParameterType == p.Second.GetType()
                || (p.Second is JitObject box && box.Type.ClrType == p.First.ParameterType)))
            ?? throw new ArgumentException($"{target.Type.Name} has no public instance method {method} taking ({string.Join(", ", args.Select(a => a?.GetType().Name ?? "null"))}).", nameof(method));
        return Methods.Compile(chosen).Invoke([target, .. args]);
    }
}
