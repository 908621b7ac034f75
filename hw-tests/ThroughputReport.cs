using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using Targets.Cuda;
using Targets.Cuda.Tests;
using Xunit.Abstractions;

namespace Targets.HwTests;

/// <summary>
/// Saxpy at 2^26 elements on the device, ours against ILGPU's own kernel on the same accelerator and
/// memory: a figure for docs/benchmarks.md, printed (never asserted; timings are not test outcomes).
/// </summary>
public sealed class ThroughputReport(ITestOutputHelper output)
{
    static void IlgpuSaxpy(ILGPU.Index1D i, float a, ArrayView<float> x, ArrayView<float> y) => y[i] = a * x[i] + y[i];

    static double MedianMs(Action run)
    {
        run();
        var times = new List<double>();
        for (int n = 0; n < 20; n++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    [DeviceFact]
    public void Saxpy_2_pow_26_ours_and_ilgpus()
    {
        const int n = 1 << 26;
        var target = new CudaTarget();
        Accelerator accelerator = target.Accelerator;
        using DeviceArray<float> x = target.ToDevice(Enumerable.Repeat(1f, n).ToArray());
        using DeviceArray<float> y = target.ToDevice(Enumerable.Repeat(2f, n).ToArray());
        var ilgpu = accelerator.LoadAutoGroupedStreamKernel<ILGPU.Index1D, float, ArrayView<float>, ArrayView<float>>(IlgpuSaxpy);
        double ours = MedianMs(() => target.Launch(CudaKernels.Saxpy, n, 0.5f, x, y));
        double theirs = MedianMs(() =>
        {
            ilgpu(n, 0.5f, x.View.BaseView, y.View.BaseView);
            accelerator.Synchronize();
        });
        double bytes = 3.0 * n * sizeof(float);
        string line = $"saxpy 2^26 on {CudaTarget.Devices[0]}: ours {ours:F3} ms ({bytes / ours / 1e6:F0} GB/s), ILGPU {theirs:F3} ms ({bytes / theirs / 1e6:F0} GB/s), ours/ILGPU time {ours / theirs:F2}";
        output.WriteLine(line);
        Console.WriteLine(line);
        string? report = Environment.GetEnvironmentVariable("TARGETS_HW_REPORT");
        if (!string.IsNullOrEmpty(report))
            File.AppendAllText(report, line + Environment.NewLine);
        float[] result = y.ToArray();
        Assert.All(new[] { result[0], result[n / 2], result[^1] }, v => Assert.True(v > 2f));
    }
}
