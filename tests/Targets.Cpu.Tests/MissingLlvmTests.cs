using Targets.Llvm.Interop;

namespace Targets.Cpu.Tests;

/// <summary>
/// Without libLLVM (here: <c>TARGETS_LIBLLVM</c> naming a file that does not exist) a compilation
/// that needs it fails with an exception saying what to install, every time it is asked, and the
/// process goes on. In a child process: which library loads is decided once per process.
/// </summary>
public sealed class MissingLlvmTests
{
    [Fact]
    public void A_missing_library_is_reported_with_what_to_install_and_the_process_goes_on()
    {
        ChildProcess.Result run = ChildProcess.Run(typeof(MissingLlvmProbe), nameof(MissingLlvmProbe.Run), TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { [LlvmLibrary.PathVariable] = "/nonexistent/libLLVM-19.so", ["TARGETS_CACHE"] = "0" });
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("available False", run.Output, StringComparison.Ordinal);
        Assert.Equal(2, run.Output.Split('\n').Count(line => line.StartsWith("DllNotFoundException", StringComparison.Ordinal)
            && line.Contains("/nonexistent/libLLVM-19.so", StringComparison.Ordinal) && line.Contains("apt-get install libllvm19", StringComparison.Ordinal)));
    }
}

/// <summary>Compiles twice with no LLVM to load: prints whether it is available and each failure's type and message.</summary>
public static class MissingLlvmProbe
{
    public static int Run()
    {
        Console.WriteLine($"available {LlvmLibrary.IsAvailable}");
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var cpu = new CpuTarget();
                cpu.Compile(Twice).AsDelegate<Func<long, long>>()(21);
                Console.WriteLine("compiled without LLVM");
                return 1;
            }
#pragma warning disable CA1031 // the probe reports whatever is thrown
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.WriteLine($"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        return 0;
    }

    static long Twice(long x) => 2 * x;
}
