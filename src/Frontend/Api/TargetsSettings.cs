namespace Targets;

/// <summary>
/// The process's settings from its environment, read in one place: every <c>TARGETS_*</c> variable
/// and the few others the compiler consults (<c>CUDA_HOME</c>, <c>XDG_CACHE_HOME</c>, <c>PATH</c>,
/// <c>LD_LIBRARY_PATH</c>). The compiler asks <see cref="Current"/> rather than the environment, so a
/// test sets a value with <see cref="Use"/> (for its own thread and what it starts) without touching
/// the environment other tests see. The environment is read when <see cref="Current"/> is first
/// asked for; settings read once per process (the cache's switch, the NRT debug flag, perf maps)
/// are taken then.
/// </summary>
public sealed record TargetsSettings
{
    static readonly Lazy<TargetsSettings> FromProcess = new(() => From(Environment.GetEnvironmentVariable));
    static readonly AsyncLocal<TargetsSettings?> Scoped = new();

    /// <summary>The settings in force: those of an enclosing <see cref="Use"/>, else the process's environment.</summary>
    public static TargetsSettings Current => Scoped.Value ?? FromProcess.Value;

    /// <summary>
    /// Makes <paramref name="settings"/> <see cref="Current"/> for this thread and the work it starts,
    /// until the result is disposed (the settings before come back).
    /// </summary>
    public static IDisposable Use(TargetsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        TargetsSettings? before = Scoped.Value;
        Scoped.Value = settings;
        return new Restore(before);
    }

    sealed class Restore(TargetsSettings? before) : IDisposable
    {
        public void Dispose() => Scoped.Value = before;
    }

    /// <summary>Settings from variables looked up by <paramref name="variable"/> (null: unset).</summary>
    public static TargetsSettings From(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? Text(string name) => variable(name) is { Length: > 0 } value ? value : null;
        static bool On(string? value) => value is "1" or "true";
        static string[] Directories(string? value) => (value ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return new TargetsSettings
        {
            Dump = Text("TARGETS_DUMP"),
            PrintTimings = On(Text("TARGETS_TIMINGS")),
            PerfMap = Text("TARGETS_PERF_MAP") == "1",
            Cache = Text("TARGETS_CACHE") is not ("0" or "false" or "off"),
            CacheDirectory = Text("TARGETS_CACHE_DIR"),
            XdgCacheHome = Text("XDG_CACHE_HOME"),
            CacheMaxMegabytes = long.TryParse(Text("TARGETS_CACHE_MAX_MB"), System.Globalization.CultureInfo.InvariantCulture, out long mb) && mb >= 0 ? mb : null,
            OrcLinker = Text("TARGETS_LINKER") == "orc",
            CompileNrtRuntime = Text("TARGETS_NRT_RUNTIME") == "compile",
            NrtDebug = On(Text("TARGETS_NRT_DEBUG")),
            LlvmLibrary = Text("TARGETS_LIBLLVM"),
            Ptxas = Text("TARGETS_PTXAS"),
            Libdevice = Text("TARGETS_LIBDEVICE"),
            CudaHome = Text("CUDA_HOME"),
            SearchPath = Directories(Text("PATH")),
            LibraryPath = Directories(Text("LD_LIBRARY_PATH")),
        };
    }

    /// <summary><c>TARGETS_DUMP</c>: print the IR of methods whose name contains this after import and after every pass, to stderr.</summary>
    public string? Dump { get; init; }

    /// <summary><c>TARGETS_TIMINGS=1</c>: print each compilation's phases to stderr.</summary>
    public bool PrintTimings { get; init; }

    /// <summary><c>TARGETS_PERF_MAP=1</c>: write <c>/tmp/perf-PID.map</c> for profilers (read once per process).</summary>
    public bool PerfMap { get; init; }

    /// <summary><c>TARGETS_CACHE=0</c> turns the persistent compile cache off (read once per process).</summary>
    public bool Cache { get; init; } = true;

    /// <summary><c>TARGETS_CACHE_DIR</c>: where the compile cache lives (default under <see cref="XdgCacheHome"/>).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary><c>XDG_CACHE_HOME</c>: the user's cache root (default <c>~/.cache</c>).</summary>
    public string? XdgCacheHome { get; init; }

    /// <summary><c>TARGETS_CACHE_MAX_MB</c>: the compile cache's size limit (default 1024).</summary>
    public long? CacheMaxMegabytes { get; init; }

    /// <summary><c>TARGETS_LINKER=orc</c>: link with LLVM's ORC JIT instead of the project's loader (read once per process).</summary>
    public bool OrcLinker { get; init; }

    /// <summary><c>TARGETS_NRT_RUNTIME=compile</c>: compile the NRT runtime here instead of loading the one built with the compiler.</summary>
    public bool CompileNrtRuntime { get; init; }

    /// <summary><c>TARGETS_NRT_DEBUG=1</c>: NRT debug mode from the start (read once per process).</summary>
    public bool NrtDebug { get; init; }

    /// <summary><c>TARGETS_LIBLLVM</c>: the libLLVM file to load instead of searching.</summary>
    public string? LlvmLibrary { get; init; }

    /// <summary><c>TARGETS_PTXAS</c>: the ptxas executable to use instead of searching.</summary>
    public string? Ptxas { get; init; }

    /// <summary><c>TARGETS_LIBDEVICE</c>: the libdevice bitcode to link instead of searching.</summary>
    public string? Libdevice { get; init; }

    /// <summary><c>CUDA_HOME</c>: a CUDA toolkit's root (for ptxas and libdevice).</summary>
    public string? CudaHome { get; init; }

    /// <summary><c>PATH</c>, split: where ptxas is looked for last.</summary>
    public IReadOnlyList<string> SearchPath { get; init; } = [];

    /// <summary><c>LD_LIBRARY_PATH</c>, split: where libLLVM is looked for first.</summary>
    public IReadOnlyList<string> LibraryPath { get; init; } = [];
}
