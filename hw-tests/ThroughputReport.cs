using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using System.Text.Json;
using Targets.Cuda;
using Targets.Cuda.Tests;


namespace Targets.HwTests;

/// <summary>
/// Saxpy at 2^26 elements on the device, ours against ILGPU's own kernel on the same accelerator and
/// memory, and both against the card's memory bandwidth: its peak (memory clock × bus width × 2) and
/// what a device-to-device copy reaches. Figures for docs/benchmarks.md, printed and written as JSON
/// to <c>TARGETS_HW_REPORT_JSON</c> (never asserted: timings are not test outcomes).
/// </summary>
public sealed class ThroughputReport(ITestOutputHelper output)
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

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
        using MemoryBuffer1D<float, Stride1D.Dense> copy = accelerator.Allocate1D<float>(n);
        var ilgpu = accelerator.LoadAutoGroupedStreamKernel<ILGPU.Index1D, float, ArrayView<float>, ArrayView<float>>(IlgpuSaxpy);
        double ours = MedianMs(() => target.Launch(CudaKernels.Saxpy, n, 0.5f, x, y));
        double theirs = MedianMs(() =>
        {
            ilgpu(n, 0.5f, x.View.BaseView, y.View.BaseView);
            accelerator.Synchronize();
        });
        double copied = MedianMs(() =>
        {
            x.View.BaseView.CopyTo(copy.View.BaseView);
            accelerator.Synchronize();
        });
        const double bytes = 3.0 * n * sizeof(float);
        static double GBs(double ms, double moved) => moved / ms / 1e6;
        var cuda = (CudaAccelerator)accelerator;
        double peak = 2.0 * cuda.MemoryClockRate * 1e3 * cuda.MemoryBusWidth / 8 / 1e9; // kHz, bits: GB/s
        var figures = new
        {
            device = CudaTarget.Devices[0].ToString(),
            elements = n,
            ours_ms = ours,
            ilgpu_ms = theirs,
            ours_gb_s = GBs(ours, bytes),
            ilgpu_gb_s = GBs(theirs, bytes),
            copy_gb_s = GBs(copied, 2.0 * n * sizeof(float)),
            peak_gb_s = peak,
            ours_over_ilgpu_time = ours / theirs,
            ours_of_peak = GBs(ours, bytes) / peak,
        };
        string line = $"saxpy 2^26 on {figures.device}: ours {ours:F3} ms ({figures.ours_gb_s:F0} GB/s, {figures.ours_of_peak:P0} of the {peak:F0} GB/s peak), " +
            $"ILGPU {theirs:F3} ms ({figures.ilgpu_gb_s:F0} GB/s), ours/ILGPU time {figures.ours_over_ilgpu_time:F2}; a device-to-device copy moves {figures.copy_gb_s:F0} GB/s";
        output.WriteLine(line);
        Console.WriteLine(line);
        if (Environment.GetEnvironmentVariable("TARGETS_HW_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, line + Environment.NewLine);
        if (Environment.GetEnvironmentVariable("TARGETS_HW_REPORT_JSON") is { Length: > 0 } json)
            File.WriteAllText(json, JsonSerializer.Serialize(figures, Indented));
        float[] result = y.ToArray();
        Assert.All(new[] { result[0], result[n / 2], result[^1] }, v => Assert.True(v > 2f));
    }
}
