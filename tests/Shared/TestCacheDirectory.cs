using System.Runtime.CompilerServices;

namespace Targets.Testing.Shared;

/// <summary>
/// Keeps every test process (and the processes it starts) off the user's compile cache: unless the
/// run already chose a directory (<c>./run.sh test</c> makes one per run), the persistent cache of
/// this process lives in a new temporary directory, deleted when the process exits. Compiled into
/// each test assembly (tests/Directory.Build.props) so it runs before any test compiles anything.
/// </summary>
internal static class TestCacheDirectory
{
#pragma warning disable CA2255 // the directory must be chosen before the first compilation, whichever test runs first
    [ModuleInitializer]
    internal static void Choose()
    {
        if (Environment.GetEnvironmentVariable("TARGETS_CACHE_DIR") is { Length: > 0 })
            return;
        string directory = Directory.CreateTempSubdirectory("targets-test-cache-").FullName;
        Environment.SetEnvironmentVariable("TARGETS_CACHE_DIR", directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A child process still writing: the temporary directory is the system's to clean.
            }
            catch (UnauthorizedAccessException)
            {
                // A test made it read-only and failed before restoring it.
            }
        };
    }
#pragma warning restore CA2255
}
