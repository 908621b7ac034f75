using System.Runtime.CompilerServices;
using Targets.Cuda;

namespace Targets.HwTests;

/// <summary>A test that needs a CUDA device; where there is none it is skipped with the reason the driver probe gives.</summary>
public sealed class DeviceFactAttribute : FactAttribute
{
    public DeviceFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (!CudaTarget.IsAvailable)
            Skip = $"no CUDA device: {CudaTarget.Status}";
    }
}
