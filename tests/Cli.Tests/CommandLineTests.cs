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
        Assert.Equal(["cpu", "parallel", "cuda"], lines.Select(l => l.Split(' ')[0]));
        string cuda = lines[2];
        Assert.True(cuda.Contains("available", StringComparison.Ordinal) && cuda.Length > "cuda      unavailable ".Length,
            $"the cuda line must carry a reason or a device count: '{cuda}'");
    }

    [Fact]
    public void Bench_runs_the_jit_smoke_check()
    {
        var (code, output, _) = Run("bench");
        Assert.Equal(0, code);
        Assert.Contains("sum_to(100000) = 4999950000 (correct)", output);
    }
}
