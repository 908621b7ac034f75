using System.Text;

namespace Targets.Llvm.Linking;

/// <summary>
/// Linux <c>perf</c>'s map of JIT code (<c>/tmp/perf-PID.map</c>, one "start size name" line per
/// function), written when <c>TARGETS_PERF_MAP=1</c> so that <c>perf report</c> names the functions
/// <see cref="NativeImage"/> loads instead of showing bare addresses. Lines are appended; .NET's own
/// map (<c>DOTNET_PerfMapEnabled=1</c>) writes the same file from its own offset and overwrites them,
/// so the two are not for one run. Writing it never fails a load.
/// </summary>
static class PerfMap
{
    static readonly bool enabled = TargetsSettings.Current.PerfMap;
    static readonly Lock gate = new();

    public static bool Enabled => enabled;

    /// <summary>Appends one line per function of a loaded image.</summary>
    public static void Write(IEnumerable<(nint Start, ulong Size, string Name)> functions)
    {
        var text = new StringBuilder();
        foreach ((nint start, ulong size, string name) in functions)
            text.Append($"{start:x} {size:x} {name}\n");
        lock (gate)
        {
            try
            {
                File.AppendAllText($"/tmp/perf-{Environment.ProcessId}.map", text.ToString());
            }
            catch (IOException)
            {
                // A profiling aid: a full or read-only /tmp loses names, not code.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
