using System.Globalization;

namespace Targets.Cpu.Tests;

/// <summary>
/// A process may end while LLVM is still loading on the thread a compilation started for it (the
/// compilation failed in the frontend, and Main returned at once): LLVM's global destructors run at
/// exit, and freeing what that thread used crashed the process (glibc's "corrupted double-linked
/// list" abort, exit 134, or a segmentation fault, 139) — in every run of this test before the fix.
/// The process now waits for the thread. Each child starts with an empty cache (the runtime is
/// compiled too: the longest window) and returns 40 ms after the failure; two run at a time.
/// </summary>
public sealed class ProcessExitTests
{
    [Fact]
    public async Task A_process_ending_right_after_a_failed_compilation_exits_cleanly()
    {
        const int Children = 16;
        var results = new ChildProcess.Result[Children];
        for (int pair = 0; pair < Children; pair += 2)
        {
            Task<ChildProcess.Result>[] runs = [.. Enumerable.Range(pair, 2).Select(_ => Task.Run(() =>
            {
                string cache = Directory.CreateTempSubdirectory("targets-exit-test-").FullName;
                try
                {
                    return ChildProcess.Run(typeof(ExitProbe), nameof(ExitProbe.Run), TimeSpan.FromMinutes(2),
                        new Dictionary<string, string> { ["TARGETS_CACHE_DIR"] = cache });
                }
                finally
                {
                    Directory.Delete(cache, recursive: true);
                }
            }))];
            (await Task.WhenAll(runs)).CopyTo(results, pair);
        }
        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}:\n{r.Output}"));
    }
}

/// <summary>Compiles a method the frontend refuses at once, then returns from Main.</summary>
public static class ExitProbe
{
    public static string Refused(int x) => x.ToString(CultureInfo.InvariantCulture);

    public static int Run()
    {
        try
        {
            new CpuTarget().Compile(Refused);
        }
        catch (CompilationException)
        {
            // Return while the other thread is inside LLVM (loading it, or compiling the runtime: ~50–250 ms).
            Thread.Sleep(40);
            return 0;
        }
        return 1;
    }
}
