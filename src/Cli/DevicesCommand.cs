using Targets.Cuda.Driver;
using Targets.Llvm;

namespace Targets.Cli;

/// <summary>Prints each target with whether it can run here and, when not, why.</summary>
internal static class DevicesCommand
{
    internal sealed record TargetStatus(string Name, bool Available, string Detail);

    internal static IReadOnlyList<TargetStatus> Discover()
    {
        string cpu = $"{LlvmTargets.HostCpu} ({LlvmTargets.HostTriple})";
        CudaDriverProbe.Result cuda = CudaDriverProbe.Current;
        return
        [
            new("cpu", true, cpu),
            new("parallel", true, $"{Environment.ProcessorCount} cores of {LlvmTargets.HostCpu}"),
            new("cuda", cuda.IsAvailable, cuda.Reason),
        ];
    }

    internal static void Run(TextWriter output)
    {
        foreach (TargetStatus target in Discover())
            output.WriteLine($"{target.Name,-9} {(target.Available ? "available  " : "unavailable")} {target.Detail}");
    }
}
