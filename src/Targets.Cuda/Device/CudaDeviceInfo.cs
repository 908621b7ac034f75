namespace Targets.Cuda;

/// <summary>One CUDA device as the driver reports it.</summary>
/// <param name="Ordinal">The device's index (CUDA's device ordinal).</param>
/// <param name="Name">The product name, e.g. "NVIDIA H200".</param>
/// <param name="ComputeCapability">Major·10 + minor: 90 for sm_90.</param>
/// <param name="MemoryBytes">Global memory.</param>
/// <param name="Multiprocessors">Streaming multiprocessors.</param>
/// <param name="DriverVersion">The driver's CUDA version times ten (125 for 12.5).</param>
public sealed record CudaDeviceInfo(int Ordinal, string Name, int ComputeCapability, long MemoryBytes, int Multiprocessors, int DriverVersion)
{
    public override string ToString() =>
        $"{Name} (sm_{ComputeCapability}, {MemoryBytes / (1L << 30)} GiB, {Multiprocessors} SMs, driver CUDA {DriverVersion / 10}.{DriverVersion % 10})";
}
