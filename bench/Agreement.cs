using Targets.Cli;

namespace Targets.Bench;

/// <summary>Every benchmark class checks in its setup that compiled code computes what .NET computes: a fast wrong answer is no figure.</summary>
internal static class Agreement
{
    internal static void Check(string what, ReadOnlySpan<double> compiled, ReadOnlySpan<double> dotnet)
    {
        double error = WorkloadData.MaxRelativeError(compiled, dotnet);
        if (error > 1e-9)
            throw new InvalidOperationException($"{what}: the compiled result differs from .NET's (max. relative error {error:G3})");
    }
}
