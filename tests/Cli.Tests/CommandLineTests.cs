using System.Buffers.Binary;
using System.Text.Json;
using Targets.Llvm;

namespace Targets.Cli.Tests;

/// <summary>The <c>targets</c> executable: help, usage errors, bench's outputs, inspect, devices, cache.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData]
    [InlineData("bench")]
    [InlineData("inspect")]
    [InlineData("devices")]
    [InlineData("cache")]
    [InlineData("cache", "info")]
    public void Every_command_has_help(params string[] command)
    {
        var (code, output, _) = TargetsExecutable.Run([.. command, "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.Contains("targets" + (command.Length > 0 ? " " + string.Join(' ', command) : ""), output);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("bench", "--bogus")]
    [InlineData("bench", "--size", "huge")]
    [InlineData("bench", "--chart", "out.gif")]
    [InlineData("bench", "--targets", "gpu")]
    [InlineData("bench", "--runs", "0")]
    [InlineData("inspect", "only-an-assembly.dll")]
    [InlineData("inspect", "a.dll", "A.B", "--stage", "bytecode")]
    [InlineData("bench", "--json", "/no/such/folder/bench.json")]
    public void Bad_arguments_exit_2_with_the_error_and_usage_on_stderr(params string[] args)
    {
        var (code, output, error) = TargetsExecutable.Run(args);
        Assert.Equal(2, code);
        Assert.Contains("targets:", error);
        Assert.Contains("Usage:", error);
        Assert.DoesNotContain("Usage:", output);
    }

    [Fact]
    public void Bench_small_writes_json_markdown_and_a_chart_with_every_workload_verified()
    {
        string dir = Directory.CreateTempSubdirectory("targets-bench-").FullName;
        try
        {
            string json = Path.Combine(dir, "bench.json"), markdown = Path.Combine(dir, "bench.md"), chart = Path.Combine(dir, "bench.png");
            var (code, output, error) = TargetsExecutable.Run("bench", "--size", "small", "--runs", "1", "--json", json, "--markdown", markdown, "--chart", chart);
            Assert.True(code == 0, output + error);
            Assert.Contains("targets found:", output);
            Assert.Contains("[1/", error); // progress, as plain lines when redirected

            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
            JsonElement[] rows = [.. document.RootElement.GetProperty("rows").EnumerateArray()];
            Assert.All(rows, r => Assert.True(r.GetProperty("verified").GetBoolean(), r.ToString()));
            string[] ids = ["matmul2d", "matmulflat", "sumofsquares", "sumdirect", "sumthroughhelper", "allocateanddrop", "binarytrees", "binarytrees-malloc", "particles", "linkedlist", "nbody",
                "add-per-call", "matmul-prange", "mandelbrot-prange", "sumofsquares-prange", "saxpy-kernel", "launch-1-item", "launch-10-items", "launch-1000-items", "typed-launch-1-item", "typed-launch-10-items", "compile-latency-warm", "compile-latency", "jit-class-latency"];
            foreach (string id in ids)
                foreach (string target in new[] { "cpu", "parallel" })
                    Assert.Single(rows, r => r.GetProperty("id").GetString() == id && r.GetProperty("target").GetString() == target);
            Assert.Contains(rows, r => r.GetProperty("target").GetString() == ".NET Parallel.For");
            Assert.All(rows.Where(r => r.GetProperty("target").GetString() == ".NET"), r => Assert.Equal(1.0, r.GetProperty("speedUp").GetDouble()));
            if (!Targets.Cuda.CudaTarget.IsAvailable)
                Assert.Contains("cuda", document.RootElement.GetProperty("notRun").EnumerateArray().Select(n => n.GetProperty("target").GetString()));

            string table = File.ReadAllText(markdown);
            Assert.Contains("| workload | size | target | median |", table);
            Assert.Contains("Command: `targets bench --size small", table);

            byte[] png = File.ReadAllBytes(chart);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(BenchChart.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));  // IHDR width
            Assert.Equal(BenchChart.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))); // IHDR height
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bench_runs_only_what_is_asked_and_an_svg_chart_is_svg()
    {
        string chart = Path.Combine(Path.GetTempPath(), $"targets-{Guid.NewGuid():N}.svg");
        try
        {
            var (code, output, error) = TargetsExecutable.Run("bench", "--size", "small", "--runs", "1", "--targets", "cpu", "--workloads", "saxpy-kernel,sumofsquares", "--chart", chart, "--no-color");
            Assert.True(code == 0, output + error);
            Assert.Contains("Saxpy kernel", output);
            Assert.DoesNotContain("MatMul2D", output);
            Assert.DoesNotContain(output.Split('\n'), line => line.Contains("Saxpy kernel", StringComparison.Ordinal) && line.Contains(" parallel ", StringComparison.Ordinal));
            Assert.Contains(output.Split('\n'), line => line.Contains("Saxpy kernel", StringComparison.Ordinal) && line.Contains(" cpu ", StringComparison.Ordinal));
            Assert.Contains("<svg", File.ReadAllText(chart));
        }
        finally
        {
            File.Delete(chart);
        }
    }

    static string Self => typeof(InspectSamples).Assembly.Location;

    [Theory]
    [InlineData("cpu", "ir", "add")]
    [InlineData("cpu", "llvm", "define")]
    [InlineData("cpu", "opt", "add")]
    [InlineData("cpu", "asm", "ret")]
    [InlineData("parallel", "asm", "ret")]
    [InlineData("cpu", "timings", "import IL")]
    [InlineData("cuda", "ptx", ".entry")]
    public void Inspect_prints_a_stage(string target, string stage, string expected)
    {
        var (code, output, error) = TargetsExecutable.Run("inspect", Self, "Targets.Cli.Tests.InspectSamples.Add", "--target", target, "--stage", stage);
        Assert.True(code == 0, error);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void Inspect_compiles_void_methods_as_kernels_on_cuda_and_disassembles_sass()
    {
        var (code, output, error) = TargetsExecutable.Run("inspect", Self, "Targets.Cli.Tests.InspectSamples.Barrier", "--target", "cuda", "--stage", "ptx");
        Assert.True(code == 0, error);
        Assert.Contains("bar.sync", output);
        if (Ptxas.Path is null)
            return; // sass needs ptxas; the ptx above is the part that needs nothing
        (code, output, error) = TargetsExecutable.Run("inspect", Self, "Targets.Cli.Tests.InspectSamples.Scale", "--target", "cuda", "--stage", "sass");
        Assert.True(code == 0, error);
        Assert.Contains("EXIT", output);
    }

    /// <summary>Issue 32: an assembly the runtime already holds (System.Private.CoreLib) is inspected through the runtime's copy, never a stack trace.</summary>
    [Fact]
    public void Inspect_of_an_assembly_the_runtime_owns_is_a_clean_answer()
    {
        string coreLib = typeof(object).Assembly.Location;
        var (code, output, error) = TargetsExecutable.Run("inspect", coreLib, "System.Int32.Abs");
        Assert.True(code == 0, error);
        Assert.Contains("function System.Int32.Abs(i32) -> i32", output);
        var intrinsic = TargetsExecutable.Run("inspect", coreLib, "System.Math.FusedMultiplyAdd");
        Assert.Equal(1, intrinsic.Code);
        Assert.Contains("a method without IL is not supported", intrinsic.Err);
        Assert.DoesNotContain("Unhandled exception", intrinsic.Err);
    }

    [Fact]
    public void Inspect_reports_what_the_compiler_refuses_with_the_line_and_exit_1()
    {
        var (code, _, error) = TargetsExecutable.Run("inspect", Self, "Targets.Cli.Tests.InspectSamples.UsesAString");
        Assert.Equal(1, code);
        Assert.Contains("InspectSamples.cs:", error);
        var missing = TargetsExecutable.Run("inspect", Self, "Targets.Cli.Tests.InspectSamples.Nothing");
        Assert.Equal(2, missing.Code);
        Assert.Contains("has no static method Nothing", missing.Err);
        Assert.Equal(2, TargetsExecutable.Run("inspect", Self, "Targets.Cli.Tests.InspectSamples.Add", "--stage", "ptx").Code); // ptx is cuda's
        string notAnAssembly = Path.GetTempFileName();
        try
        {
            var bad = TargetsExecutable.Run("inspect", notAnAssembly, "A.B");
            Assert.Equal(2, bad.Code);
            Assert.Contains("is not a .NET assembly", bad.Err);
            Assert.DoesNotContain("Unhandled exception", bad.Err);
        }
        finally
        {
            File.Delete(notAnAssembly);
        }
    }

    [Fact]
    public void Devices_lists_every_target_and_the_cuda_tools()
    {
        var (code, output, _) = TargetsExecutable.Run("devices");
        Assert.Equal(0, code);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["cpu", "parallel", "cuda", "cuda-simulator", "ptxas", "libdevice"], lines.Select(l => l.Split(' ')[0]));
        Assert.True(lines[2].Length > "cuda      unavailable ".Length, $"the cuda line carries a reason or the devices: '{lines[2]}'");
        Assert.All(lines[4..], tool => Assert.Contains('/', tool));
    }

    [Fact]
    public void Cache_info_shows_the_entries_a_bench_run_kept_and_clear_removes_them()
    {
        string directory = Directory.CreateTempSubdirectory("targets-cli-cache-").FullName;
        try
        {
            var environment = new Dictionary<string, string> { ["TARGETS_CACHE_DIR"] = directory };
            var (code, output, _) = TargetsExecutable.Run(TimeSpan.FromMinutes(3), environment, "cache", "info");
            Assert.Equal(0, code);
            Assert.Contains($"cache: {directory}", output);
            Assert.Contains("state:   on", output);
            Assert.Contains("entries: 0", output);

            Assert.Equal(0, TargetsExecutable.Run(TimeSpan.FromMinutes(3), environment, "bench", "--size", "small", "--runs", "1", "--targets", "cpu", "--workloads", "sumofsquares", "--no-color").Code);
            int kept = Directory.GetFiles(directory, "*.tgc").Length;
            Assert.True(kept >= 1, $"{kept} entries: the workload's function is kept (the NRT runtime comes built with the compiler)");
            (code, output, _) = TargetsExecutable.Run(TimeSpan.FromMinutes(3), environment, "cache", "info");
            Assert.Contains($"entries: {kept}", output);

            (code, output, _) = TargetsExecutable.Run(TimeSpan.FromMinutes(3), environment, "cache", "clear");
            Assert.Equal(0, code);
            Assert.Contains($"removed {kept} {(kept == 1 ? "entry" : "entries")} from {directory}", output);
            Assert.Empty(Directory.GetFiles(directory, "*.tgc"));

            environment["TARGETS_CACHE"] = "0";
            Assert.Contains("state:   off", TargetsExecutable.Run(TimeSpan.FromMinutes(3), environment, "cache", "info").Out);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
