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
        string? overridden = Environment.GetEnvironmentVariable(PathVariable);
        IEnumerable<string> names = string.IsNullOrEmpty(overridden) ? Candidates : [overridden];
        foreach (string candidate in names)
        {
            if (NativeLibrary.TryLoad(candidate, out nint handle))
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
}
