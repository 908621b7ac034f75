using System.Reflection;
using Targets.Cpu;
using Targets.Cuda;

namespace Targets.Cli;

/// <summary>
/// A target <c>targets bench</c> runs the workloads on, or the reason it does not. Every benchmark
/// run makes its own instances through <see cref="Create"/>, so one target's compile cache never
/// hides another's work.
/// </summary>
internal sealed record BenchTarget(string Name, Func<ITarget>? Create, string? NotRun)
{
    /// <summary>
    /// cpu, then parallel and cuda when their assemblies define them. Those two are found by name so
    /// that this command picks them up as they land without changing; until then they say so.
    /// </summary>
    internal static IReadOnlyList<BenchTarget> Discover() =>
    [
        new("cpu", () => new CpuTarget(), null),
        Find("parallel", "Targets.Parallel.ParallelTarget, Targets.Parallel", hostFunctions: true),
        Find("cuda", "Targets.Cuda.CudaTarget, Targets.Cuda", hostFunctions: false),
    ];

    static BenchTarget Find(string name, string typeName, bool hostFunctions)
    {
        Type? type = Type.GetType(typeName, throwOnError: false);
        if (type is null || !typeof(ITarget).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null)
            return new(name, null, $"not yet implemented ({typeName.Split(',')[0]} does not exist yet)");
        if (!hostFunctions)
        {
            return new(name, null, CudaTarget.IsAvailable
                ? "not run: these workloads are host functions; cuda runs kernels (Launch)"
                : $"unavailable: {CudaTarget.Status}");
        }
        ConstructorInfo constructor = type.GetConstructor(Type.EmptyTypes)!;
        return new(name, () => (ITarget)constructor.Invoke(null), null);
    }
}
