using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: DisableRuntimeMarshalling]

namespace Targets.Llvm.Interop;

/// <summary>
/// Resolves the logical library name <c>LLVM</c> of every import in this assembly to Debian's
/// LLVM 19 shared library. LLVM's C API changes between major versions, so no other major is
/// accepted: a missing library is a <see cref="DllNotFoundException"/> that says what to install.
/// </summary>
public static class LlvmLibrary
{
    internal const string Name = "LLVM";

    /// <summary>Names tried in order: the soname of <c>libllvm19</c>, then its versioned link.</summary>
    public static IReadOnlyList<string> Candidates { get; } = ["libLLVM.so.19.1", "libLLVM-19.so"];

    /// <summary>Environment variable that, when set, names the library file to load instead.</summary>
    public const string PathVariable = "TARGETS_LIBLLVM";

#pragma warning disable CA2255 // the resolver must be in place before the first LLVM call, from any entry point.
    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(LlvmLibrary).Assembly, Resolve);
#pragma warning restore CA2255

    static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Name)
            return 0;
        return Handle.Value;
    }

    static readonly Lazy<nint> Handle = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    static nint Load()
    {
        string? overridden = TargetsSettings.Current.LlvmLibrary;
        IEnumerable<string> names = overridden is null ? Candidates : [overridden];
        foreach (string candidate in names)
        {
            // dlopen as NativeLibrary.TryLoad does for a file name or path, without its runtime call's marshalling stub (see SharedLibraries).
            if (Linking.SharedLibraries.Open(candidate) is not 0 and nint handle)
                return handle;
        }
        throw new DllNotFoundException(
            $"LLVM 19 was not found (tried {string.Join(", ", names)}). Install it with " +
            "'apt-get install libllvm19' (as root), or set " + PathVariable + " to the library's path.");
    }

    /// <summary>True when the library loads; never throws.</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                return Handle.Value != 0;
            }
            catch (DllNotFoundException)
            {
                return false;
            }
        }
    }

    /// <summary>Where the loader finds libraries by name here: LD_LIBRARY_PATH, then Debian's and LLVM's directories.</summary>
    static string[] SearchDirectories =>
        [.. TargetsSettings.Current.LibraryPath,
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib/llvm-19/lib", "/usr/local/lib", "/usr/lib64", "/usr/lib", "/lib"];

    /// <summary>
    /// The file the library would be loaded from, found without loading it (a persistent cache keys
    /// on it without paying for the load), or null when it cannot be told that way.
    /// </summary>
    /// <remarks>Loops, not LINQ: a cache hit's key calls this, and that path loads no System.Linq.</remarks>
    public static FileInfo? Locate()
    {
        if (TargetsSettings.Current.LlvmLibrary is { } overridden)
            return Existing(overridden);
        foreach (string name in Candidates)
        {
            foreach (string directory in SearchDirectories)
            {
                if (Existing(Path.Combine(directory, name)) is { } found)
                    return found;
            }
        }
        return null;
    }

    /// <summary>The file at <paramref name="path"/> (the final target of a link), or null when there is none.</summary>
    static FileInfo? Existing(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
            return null;
        return file.LinkTarget is null ? file : new FileInfo(file.ResolveLinkTarget(returnFinalTarget: true)!.FullName);
    }
}
