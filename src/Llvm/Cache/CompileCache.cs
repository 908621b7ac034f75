using System.Globalization;

namespace Targets.Cache;

/// <summary>What the persistent cache holds now (<see cref="CompileCache.Info"/>).</summary>
public sealed record CompileCacheInfo(string Directory, bool Enabled, int Entries, long Bytes, long SizeLimit)
{
    /// <summary>Why the cache is off, or null when it is on.</summary>
    public string? Off { get; init; }
}

/// <summary>What the persistent cache did in this process (<see cref="CompileCache.Counters"/>).</summary>
public sealed record CompileCacheCounters(long Hits, long Misses, long Stores, long Rejected, long Failures);

/// <summary>
/// The persistent on-disk cache of compiled code, shared by the targets: one file per compiled
/// function (<see cref="CacheEntry"/>), named by its key — for the cpu and parallel targets an
/// object file and what is needed to call it without the frontend, keyed by the call graph's IL and
/// the machine (Targets.Cpu's <c>CacheKey</c>), plus the NRT runtime's code; for the cuda target a
/// kernel's PTX, keyed by its IR and PTX options (Targets.Cuda's <c>PtxCache</c>). On by default; <c>TARGETS_CACHE=0</c> or <see cref="CompileOptions.Cache"/> off disables
/// it, <c>TARGETS_CACHE_DIR</c> (or <see cref="Directory"/>) moves it, <c>TARGETS_CACHE_MAX_MB</c>
/// (or <see cref="SizeLimit"/>) bounds it (default 1 GiB; least recently used entries go first).
/// Guarantees: the cache never makes a compilation fail — an entry that is corrupt, truncated,
/// written for another key or by another format, not a regular file, not owned by this user or
/// writable by others, or that the loader cannot load for any reason is refused, deleted and
/// compiled again (what a checksum cannot catch, a well-formed forgery, is kept out by ownership:
/// a directory another user owns or may write is not used at all; docs/compile-cache.md);
/// an unwritable directory or a full disk means the code is compiled and not kept. Each such event
/// is counted (<see cref="Counters"/>) and reported through <see cref="Warning"/> (and on stderr
/// with <c>TARGETS_TIMINGS=1</c>). Entries are written to a temporary file and renamed into place,
/// so processes sharing a directory never read a half-written entry.
/// </summary>
public static class CompileCache
{
    const string Extension = ".tgc";
    static long hits, misses, stores, rejected, failures;
    static string? directory;
    static long? sizeLimit;

    static bool enabled = TargetsSettings.Current.Cache;

    /// <summary>
    /// Whether the process caches at all: not with <c>TARGETS_CACHE=0</c>, nor where compiled code is
    /// linked by LLVM's ORC JIT rather than the project's loader (<see cref="OwnLoader"/>).
    /// </summary>
    public static bool Enabled
    {
        get => enabled && OwnLoader && Distrust() is null;
        set => enabled = value;
    }

    /// <summary>The largest entry read: an object of one function's call graph is kilobytes to a few megabytes.</summary>
    const long MaxEntryBytes = 256L << 20;

    static (string Directory, string? Why)? trust;

    /// <summary>
    /// Why the directory cannot be trusted with code this process will run (another user owns it, or
    /// its group or others may write it: anyone who can write there could put code into this
    /// process), or null. Checked once per process and directory (again when it is set), with a warning naming the
    /// directory and the fix; a directory not made yet is made private (<c>0700</c>) by the first store.
    /// </summary>
    static string? Distrust()
    {
        string current = Directory;
        if (trust is { } known && known.Directory == current)
            return known.Why;
        string? why = System.IO.Directory.Exists(current) ? Llvm.Linking.OwnedFiles.CheckDirectory(current) : null;
        trust = (current, why);
        if (why is not null)
            Warn($"the compile cache is off for this process: {why}", always: true);
        return why;
    }

    /// <summary>
    /// Whether compiled code is loaded by the project's own loader (<see cref="Llvm.Linking.NativeImage"/>:
    /// x86-64 Linux), which the cache needs; <c>TARGETS_LINKER=orc</c> links everything with LLVM's ORC
    /// JIT instead (as on other hosts), for comparison or to rule the loader out.
    /// </summary>
    public static bool OwnLoader { get; } = Llvm.Linking.NativeImage.IsSupported && !TargetsSettings.Current.OrcLinker;

    /// <summary>Where entries live: <c>TARGETS_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/targets</c>, else <c>~/.cache/targets</c>.</summary>
    public static string Directory
    {
        get => directory ??= DefaultDirectory();
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            directory = Path.GetFullPath(value);
            Resize();
        }
    }

    static string DefaultDirectory()
    {
        if (TargetsSettings.Current.CacheDirectory is { } chosen)
            return Path.GetFullPath(chosen);
        string root = TargetsSettings.Current.XdgCacheHome is { } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "targets");
    }

    /// <summary>The most bytes the entries may take; older entries are evicted past it.</summary>
    public static long SizeLimit
    {
        get => sizeLimit ??= TargetsSettings.Current.CacheMaxMegabytes is { } megabytes ? megabytes << 20 : 1L << 30;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            sizeLimit = value;
            Resize();
        }
    }

    /// <summary>Raised (on the compiling thread) when the cache refuses an entry or cannot write one; the code is compiled anyway.</summary>
    public static event Action<string>? Warning;

    public static CompileCacheCounters Counters => new(Interlocked.Read(ref hits), Interlocked.Read(ref misses), Interlocked.Read(ref stores),
        Interlocked.Read(ref rejected), Interlocked.Read(ref failures));

    /// <summary>The directory, whether caching is on, and what the entries take.</summary>
    public static CompileCacheInfo Info()
    {
        (int count, long bytes) = Entries().Aggregate((0, 0L), (sum, file) => (sum.Item1 + 1, sum.Item2 + file.Length));
        return new CompileCacheInfo(Directory, Enabled, count, bytes, SizeLimit)
        {
            Off = Enabled ? null
                : !OwnLoader ? "compiled code is linked by LLVM's ORC JIT here (TARGETS_LINKER=orc, or a host other than x86-64 Linux)"
                : Distrust() is { } why ? why
                : "TARGETS_CACHE=0 (or CompileCache.Enabled = false)",
        };
    }

    /// <summary>Deletes every entry (and leftover temporary files, and the compilers' markers); returns how many entries there were.</summary>
    public static int Clear()
    {
        int removed = 0;
        foreach (FileInfo file in Entries())
        {
            if (TryDelete(file.FullName))
                removed++;
        }
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (string leftover in System.IO.Directory.EnumerateFiles(Directory, "*.tmp").Concat(System.IO.Directory.EnumerateFiles(Directory, "compiler-*")))
                TryDelete(leftover);
        }
        Resize();
        return removed;
    }

    /// <summary>
    /// Whether an entry was kept here by the compiler build <paramref name="build"/> (its marker file
    /// exists): a cache without one will miss, so a compilation may start loading LLVM before its key
    /// is known. A hint only (entries may have been evicted since); a check costs one <c>stat</c>.
    /// </summary>
    internal static bool HoldsCodeOf(string build) => File.Exists(MarkerOf(build));

    /// <summary>The marker of a build of the compiler (a hash of its assemblies' module version ids), written beside its first entry.</summary>
    static string MarkerOf(string build) => Path.Combine(Directory, $"compiler-{build}");

    static int marked;

    static IEnumerable<FileInfo> Entries() =>
        System.IO.Directory.Exists(Directory) ? new DirectoryInfo(Directory).EnumerateFiles("*" + Extension) : [];

    static string PathOf(string keyHash) => Path.Combine(Directory, keyHash + Extension);

    /// <summary>Whether an entry for <paramref name="keyHash"/> exists (a hint: <see cref="Load"/> may still refuse it); counts nothing.</summary>
    internal static bool Holds(string keyHash) => File.Exists(PathOf(keyHash));

    /// <summary>The intact entry for <paramref name="keyHash"/>, or null (a miss; a bad entry is deleted and reported).</summary>
    internal static (CacheMetadata Metadata, byte[] ObjectFile)? Load(string keyHash)
    {
        string path = PathOf(keyHash);
        // A miss is told without an exception: a process's first exception is slow, and its
        // message (errno's text) is a first native call, which waits for the whole of LLVM's load
        // (glibc's loader lock) while another thread loads it, as one does on a first run.
        if (!File.Exists(path))
        {
            Interlocked.Increment(ref misses);
            return null;
        }
        // Only an owned regular file of bounded size, opened without following links or blocking.
        if (Llvm.Linking.OwnedFiles.Read(path, MaxEntryBytes, out string? unread) is not { } bytes)
        {
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
                Reject(path, unread!);
            else
                Interlocked.Increment(ref misses); // gone since the check: another process evicted it
            return null;
        }
        if (CacheEntry.Read(bytes, keyHash, out string? why) is not { } entry)
        {
            Reject(path, why!);
            return null;
        }
        Interlocked.Increment(ref hits);
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // recency for eviction
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache still serves hits; it just cannot record their order.
        }
        return entry;
    }

    /// <summary>An entry <see cref="Load"/> returned that could not be used (the linker refused it, a destructor differs): deleted, counted as refused, reported.</summary>
    internal static void Unusable(string keyHash, string why)
    {
        Interlocked.Decrement(ref hits);
        Reject(PathOf(keyHash), why);
    }

    static void Reject(string path, string why)
    {
        Interlocked.Increment(ref rejected);
        Interlocked.Increment(ref misses);
        TryDelete(path);
        Warn($"cache entry {path} refused: {why}; compiling again and replacing it", always: true);
    }

    /// <summary>Compiled code the loader cannot load (so a hit could not either): linked by the JIT, not kept, counted as a failure and reported.</summary>
    internal static void NotKept(string module, string why)
    {
        Interlocked.Increment(ref failures);
        Warn($"compiled module {module} is not kept: the cache's loader cannot load it ({why}); linked by the JIT instead");
    }

    /// <summary>
    /// Keeps an entry (temporary file, then an atomic rename) and evicts the least recently used past
    /// the limit; the first store of a process also writes the marker of <paramref name="build"/>
    /// when one is given (<see cref="HoldsCodeOf"/>). Never throws.
    /// </summary>
    internal static void Store(string keyHash, CacheMetadata metadata, ReadOnlySpan<byte> objectFile, string? build)
    {
        byte[] bytes = CacheEntry.Write(keyHash, metadata, objectFile);
        string path = PathOf(keyHash);
        string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            if (OperatingSystem.IsLinux()) // where the cache is used (OwnLoader): made private, 0700
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // Owner-only (0600) whatever the umask: a group-writable entry would be refused when read.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (OperatingSystem.IsLinux())
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(temporary, create))
                file.Write(bytes);
            File.Move(temporary, path, overwrite: true);
            Interlocked.Increment(ref stores);
            Interlocked.Add(ref estimatedBytes, bytes.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref failures);
            TryDelete(temporary);
            Warn($"compiled code could not be kept in {Directory} ({e.Message}); it stays in this process only");
            return;
        }
        if (build is not null && Interlocked.Exchange(ref marked, 1) == 0)
            Mark(build);
        if (Interlocked.Read(ref estimatedBytes) > SizeLimit || Interlocked.Exchange(ref sized, 1) == 0)
            Evict();
    }

    /// <summary>Writes this compiler's marker (a hint: a failure only means the next process starts LLVM early).</summary>
    static void Mark(string build)
    {
        try
        {
            File.WriteAllBytes(MarkerOf(build), []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// The directory's size as of the last look plus what this process stored since (other processes
    /// may add more): the directory is listed again only when this passes the limit, so a store costs
    /// O(1) rather than a listing of every entry.
    /// </summary>
    static long estimatedBytes;
    static int sized;

    /// <summary>Forgets the estimate: the next store lists the directory (another directory, limit, or a clear).</summary>
    static void Resize()
    {
        trust = null; // and the directory's ownership: checked again
        Interlocked.Exchange(ref estimatedBytes, 0);
        Interlocked.Exchange(ref sized, 0);
        Interlocked.Exchange(ref marked, 0); // and the marker: written again with the next entry
    }

    /// <summary>
    /// Deletes the least recently used entries of a cache over <see cref="SizeLimit"/> until it is within
    /// nine tenths of it. The slack is what keeps a store O(1) at the limit: trimmed to the limit
    /// exactly, every later store would pass it again and list the whole directory (a fuzz run
    /// against a full 1 GiB cache spent a third of its time in <c>lstat</c>).
    /// </summary>
    static void Evict()
    {
        try
        {
            List<FileInfo> files = [.. Entries()];
            long total = 0;
            foreach (FileInfo file in files)
                total += file.Length;
            if (total > SizeLimit)
            {
                long goal = SizeLimit - SizeLimit / 10;
                // Sorted only when something goes (a process's first store lists the directory to learn its size).
                files.Sort((a, b) => a.LastWriteTimeUtc.CompareTo(b.LastWriteTimeUtc));
                foreach (FileInfo file in files)
                {
                    if (total <= goal)
                        break;
                    if (TryDelete(file.FullName))
                        total -= file.Length;
                }
            }
            Interlocked.Exchange(ref estimatedBytes, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warn($"the cache in {Directory} could not be trimmed to its size limit ({e.Message})");
        }
    }

    static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static int warnedOnStderr;

    /// <summary>
    /// Reports through <see cref="Warning"/> (and stderr with TARGETS_TIMINGS=1): the cache's events,
    /// and a runtime built with the compiler that would not load. An entry refused and a distrusted
    /// directory (<paramref name="always"/>) also reach stderr once per process without it: they
    /// mean something wrote into the cache that this compiler did not, or could have.
    /// </summary>
    internal static void Warn(string message, bool always = false)
    {
        if (CompileTimings.Print)
            Console.Error.WriteLine($"[targets cache] {message}");
        else if (always && Interlocked.Exchange(ref warnedOnStderr, 1) == 0)
            Console.Error.WriteLine($"[targets cache] {message} (TARGETS_TIMINGS=1 shows every cache event)");
        Warning?.Invoke(message);
    }
}
