using Targets.Cuda;
using Targets.Llvm;

namespace Targets.Cli;

/// <summary>Prints each target with whether it can run here and, when not, why.</summary>
internal static class DevicesCommand
{
    internal sealed record TargetStatus(string Name, bool Available, string Detail);

    internal static IReadOnlyList<TargetStatus> Discover()
    {
        string[] vector = ["sse4.2", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512bw", "neon", "sve"];
        HashSet<string> enabled = [.. LlvmTargets.HostFeatures.Split(',').Where(f => f.StartsWith('+')).Select(f => f[1..])];
        IEnumerable<string> features = vector.Where(enabled.Contains);
        string cpu = $"{LlvmTargets.HostCpu} ({LlvmTargets.HostTriple}; vector: {string.Join(' ', features.DefaultIfEmpty("none"))})";
        return
        [
            new("cpu", true, cpu),
            new("parallel", true, $"{Environment.ProcessorCount} cores of {LlvmTargets.HostCpu}"),
            new("cuda", CudaTarget.IsAvailable, CudaTarget.Status),
            new("cuda-simulator", true, "the cuda target's kernels on the CPU with CUDA semantics, for correctness (CudaTarget.Simulator())"),
            new("ptxas", Ptxas.Path is not null, Ptxas.Path ?? $"not found (looked in {Ptxas.SearchDescription})"),
            new("libdevice", Targets.Cuda.Lowering.Libdevice.Path is not null, Targets.Cuda.Lowering.Libdevice.Path ?? $"not found (looked in {string.Join(", ", Targets.Cuda.Lowering.Libdevice.SearchedPaths)})"),
        ];
    }

    internal static void Run(TextWriter output)
    {
        foreach (TargetStatus target in Discover())
            output.WriteLine($"{target.Name,-9} {(target.Available ? "available  " : "unavailable")} {target.Detail}");
    }
}
