using System.Diagnostics;
using System.Globalization;
using Targets.Cpu;

namespace Targets.Cli;

/// <summary>What a fresh process pays for its first compiled call, with an empty cache and with a warm one (milliseconds, medians).</summary>
internal sealed record FirstCallTimes(double EmptyCacheMs, double WarmCacheMs);

/// <summary>
/// The first call in a fresh process: <c>targets bench</c> starts this executable again
/// (<c>targets first-call</c>, a hidden command) against a new cache directory — once to fill it,
/// then again to run from it — and each child reports how long compiling binary-trees on the cpu
/// target and calling it once took, from the start of the command (process start-up and argument
/// parsing excluded, as for Numba's figures the issue compares with).
/// </summary>
internal static class FirstCall
{
    const string Marker = "first-call-ms ";

    /// <summary>The child's side: compile and call once, print the elapsed time.</summary>
    internal static int Measure(TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        long nodes = new CpuTarget().Compile(Workloads.BinaryTrees).AsDelegate<Func<int, long>>()(6);
        double elapsed = clock.Elapsed.TotalMilliseconds;
        if (nodes != Workloads.BinaryTrees(6))
            return 1;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Marker}{elapsed:F2}"));
        return 0;
    }

    /// <summary>The parent's side: one child with an empty cache (medians of <paramref name="runs"/>), then children running from the cache it filled.</summary>
    internal static FirstCallTimes Run(int runs)
    {
        string directory = Directory.CreateTempSubdirectory("targets-first-call-").FullName;
        try
        {
            var empty = new List<double>();
            var warm = new List<double>();
            for (int run = 0; run < runs; run++)
            {
                foreach (string stale in Directory.GetFiles(directory))
                    File.Delete(stale);
                empty.Add(Child(directory));
                warm.Add(Child(directory));
            }
            return new FirstCallTimes(Median(empty), Median(warm));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    static double Child(string cacheDirectory)
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(FirstCall).Assembly.Location);
        start.ArgumentList.Add("first-call");
        start.Environment["TARGETS_CACHE_DIR"] = cacheDirectory;
        start.Environment.Remove("TARGETS_CACHE");
        using Process child = Process.Start(start) ?? throw new InvalidOperationException("could not start the first-call child");
        Task<string> error = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        if (!child.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException("the first-call child ran past 2 minutes");
        }
        string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        return child.ExitCode == 0 && line is not null
            ? double.Parse(line[Marker.Length..], CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"the first-call child failed (exit {child.ExitCode}): {output}{error.Result}");
    }
}
