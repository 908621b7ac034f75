using ScottPlot;

namespace Targets.Cli;

/// <summary>
/// The bench chart (ScottPlot): grouped bars, one group per workload and one colour per side
/// (.NET Parallel.For and each target), each bar the speed-up over .NET on a log axis (bars grow up
/// from 1×: faster than .NET above, slower below), written as PNG or SVG by the file's extension.
/// </summary>
internal static class BenchChart
{
    public const int Width = 1400;
    public const int Height = 700;

    internal static void Write(BenchReport report, string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
            throw new ArgumentException($"Expected a chart file ending in .png or .svg, got '{path}'.", nameof(path));
        List<BenchResult> bars = report.Results.Where(r => !r.IsBaseline && r.SpeedUp is > 0).ToList();
        List<string> workloads = bars.Select(r => r.Workload).Distinct().ToList();
        string[] order = [".NET Parallel.For", "cpu", "parallel", "cuda"];
        List<string> sides = bars.Select(r => r.Target).Distinct().OrderBy(t => Array.IndexOf(order, t) is int i && i >= 0 ? i : order.Length).ToList();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double width = 0.8 / Math.Max(1, sides.Count);
        for (int s = 0; s < sides.Count; s++)
        {
            var series = new List<Bar>();
            foreach (BenchResult r in bars.Where(b => b.Target == sides[s]))
            {
                double position = workloads.IndexOf(r.Workload) - 0.4 + width * (s + 0.5);
                series.Add(new Bar { Position = position, Value = Math.Log10(r.SpeedUp!.Value), ValueBase = 0, Size = width * 0.9, FillColor = palette.GetColor(Array.IndexOf(order, sides[s]) is int c && c >= 0 ? c : s) });
            }
            var plotted = plot.Add.Bars(series);
            plotted.LegendText = sides[s];
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            workloads.Select((w, n) => (double)n).ToArray(), workloads.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 170; // room for the rotated workload names
        double low = Math.Floor(Math.Min(-0.1, bars.Count == 0 ? 0 : bars.Min(b => Math.Log10(b.SpeedUp!.Value)))), high = Math.Ceiling(Math.Max(0.1, bars.Count == 0 ? 0 : bars.Max(b => Math.Log10(b.SpeedUp!.Value))));
        var ticks = new List<double>();
        for (double t = low; t <= high; t++)
            ticks.Add(t);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray(), ticks.Select(t => $"{Math.Pow(10, t):G}×").ToArray());
        plot.Axes.SetLimitsY(low, high);
        plot.Axes.Left.Label.Text = "speed-up over .NET (log scale)";
        plot.Title("targets bench: each side's speed-up over plain .NET");
        plot.Add.HorizontalLine(0, 1, Colors.Black);
        plot.ShowLegend(Alignment.UpperRight);
        if (extension == ".png")
            plot.SavePng(path, Width, Height);
        else
            plot.SaveSvg(path, Width, Height);
    }
}
