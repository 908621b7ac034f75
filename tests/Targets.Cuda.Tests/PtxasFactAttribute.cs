using Targets.Llvm;

namespace Targets.Cuda.Tests;

/// <summary>A test that needs NVIDIA's ptxas; where it is missing the test is skipped and says why.</summary>
public sealed class PtxasFactAttribute : FactAttribute
{
    public PtxasFactAttribute()
    {
        if (Ptxas.Path is null)
            Skip = $"ptxas not found (looked in {Ptxas.SearchDescription}); './run.sh test' fetches it into .tools/cuda";
    }
}
