using Targets.Cuda;

namespace Targets.Cli.Tests;

/// <summary>Methods <c>targets inspect</c> is pointed at in the tests.</summary>
public static class InspectSamples
{
    public static int Add(int a, int b) => a + b;

    public static void Scale(Index1D i, float a, float[] x) => x[i] = a * x[i];

    public static void Barrier(float[] x)
    {
        float[] shared = Cuda.Cuda.SharedArray<float>(32);
        shared[Cuda.Cuda.ThreadIdx.X] = x[Cuda.Cuda.ThreadIdx.X];
        Cuda.Cuda.SyncThreads();
        x[Cuda.Cuda.ThreadIdx.X] = shared[31 - Cuda.Cuda.ThreadIdx.X];
    }

    public static int UsesAString(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
}
