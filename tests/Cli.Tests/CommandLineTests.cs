using System.Text.RegularExpressions;

namespace Targets.Cli.Tests;

public sealed class CommandLineTests
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        var (code, _, err) = Run("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'frobnicate'", err);
        Assert.Contains("usage: targets", err);
    }

    [Fact]
    public void Extra_arguments_are_a_usage_error()
    {
        var (code, _, err) = Run("devices", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("unexpected argument '--bogus'", err);
    }

    [Fact]
    public void Devices_lists_every_target_and_says_why_cuda_is_missing()
    {
        var (code, output, _) = Run("devices");
        Assert.Equal(0, code);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["cpu", "parallel", "cuda", "cuda-simulator", "ptxas", "libdevice"], lines.Select(l => l.Split(' ')[0]));
        Assert.All(lines[4..], tool => Assert.True(tool.Contains('/', StringComparison.Ordinal), $"a tool line names its path or where it was looked for: '{tool}'"));
        string cuda = lines[2];
        Assert.True(cuda.Contains("available", StringComparison.Ordinal) && cuda.Length > "cuda      unavailable ".Length,
            $"the cuda line must carry a reason or a device count: '{cuda}'");
    }

    [Fact]
    public void Bench_runs_every_workload_on_cpu_and_parallel_and_agrees_with_dotnet()
    {
        using var output = new StringWriter();
        int code = BenchCommand.Run(output, BenchSettings.Quick);
        string text = output.ToString();
        Assert.True(code == 0, text);
        Assert.StartsWith("targets found:", text);
        string[][] rows = text.Split('\n').Select(l => Regex.Split(l.Trim(), " {2,}")).Where(r => r.Length == 8).ToArray();
        Assert.Equal(["workload", "size", "target", "best", "median", "runs", "vs .NET", "check"], rows[0]);
        string[] workloads = ["MatMul2D", "MatMulFlat", "SumOfSquares", "SumDirect", "SumThroughHelper", "AllocateAndDrop", "BinaryTrees", "BinaryTrees, malloc", "Particles", "Add (per call)",
            "MatMul, prange", "Mandelbrot, prange", "SumOfSquares, prange", "Saxpy kernel", "Launch, 1 item", "Launch, 10 items", "Compile latency", "Jit class latency"];
        string[] parallelForms = ["MatMul, prange", "Mandelbrot, prange", "SumOfSquares, prange", "Saxpy kernel", "Launch, 1 item", "Launch, 10 items"];
        foreach (string workload in workloads)
        {
            foreach (string target in new[] { "cpu", "parallel" })
            {
                string[] row = Assert.Single(rows, r => r[0] == workload && r[2] == target);
                Assert.StartsWith("ok", row[7]);
                Assert.Matches(@"^\d+\.\d\d (ns|µs|ms|s)$", row[3]);
            }
        }
        foreach (string workload in parallelForms)
            Assert.StartsWith("ok", Assert.Single(rows, r => r[0] == workload && r[2] == ".NET Parallel.For")[7]);
        Assert.Equal(workloads.Length - 2, rows.Count(r => r[2] == ".NET" && r[7] == "oracle")); // the two compile latencies have no .NET row
        Assert.DoesNotContain("error", text);
    }
}
