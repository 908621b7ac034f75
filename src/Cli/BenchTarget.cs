using Targets.Cpu;
using Targets.Cuda;
using Targets.Parallel;

namespace Targets.Cli;

/// <summary>
/// A target <c>targets bench</c> runs the workloads on, or the reason it does not. Every benchmark
/// run makes its own instances through <see cref="Create"/>, so one target's compile cache never
/// hides another's work. <see cref="KernelsOnly"/>: the target runs kernels (Launch) only — cuda;
/// host functions are not run there. The cuda simulator is never a bench target: it is for
/// correctness, and timing it as cuda would mislead.
/// </summary>
internal sealed record BenchTarget(string Name, Func<ITarget>? Create, string? NotRun, bool KernelsOnly = false)
{
    /// <summary>The names <c>--targets</c> accepts.</summary>
    internal static readonly string[] Names = ["cpu", "parallel", "cuda"];

    internal static IReadOnlyList<BenchTarget> Discover(IReadOnlyCollection<string>? only = null) =>
        new BenchTarget[]
        {
            new("cpu", () => new CpuTarget(), null),
            new("parallel", () => new ParallelTarget(), null),
            CudaTarget.IsAvailable
                ? new("cuda", () => new CudaTarget(), null, KernelsOnly: true)
                : new("cuda", null, $"unavailable: {CudaTarget.Status}", KernelsOnly: true),
        }.Where(t => only is null || only.Contains(t.Name)).ToList();
}
