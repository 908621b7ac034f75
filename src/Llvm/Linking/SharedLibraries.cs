using System.Runtime.InteropServices;

namespace Targets.Llvm.Linking;

/// <summary>
/// The C library's dynamic linker (<c>dlopen</c>, <c>dlsym</c>) for looking up the symbols loaded
/// code calls. Not <see cref="NativeLibrary"/>: in this project's processes its calls came with two
/// marshalling stubs JIT-compiled on every first call (<c>targets first-call</c> under
/// <c>DOTNET_JitDisasmSummary</c>: 2 → 0 with these; a minimal console app shows none, so what brings
/// them on is not known), while this assembly's blittable imports are called directly from its
/// ReadyToRun code (see <see cref="NativeImage"/>'s imports), and a lookup costs less (0.12–0.19 µs
/// against 0.17–0.23 µs).
/// </summary>
public static partial class SharedLibraries
{
    const int Lazy = 1; // RTLD_LAZY, as NativeLibrary.TryLoad opens a library

    /// <summary>The handle of the process's global scope (the main program and what it loaded).</summary>
    public static nint MainProgram => dlopen(null, Lazy);

    /// <summary>Opens the library <paramref name="name"/> (a file name searched as <c>dlopen</c> does); 0 when it cannot be loaded.</summary>
    public static nint Open(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return dlopen(name, Lazy);
    }

    /// <summary>The address of <paramref name="name"/> in the library <paramref name="handle"/>; 0 when it has none.</summary>
    public static nint Symbol(nint handle, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return dlsym(handle, name);
    }

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)] private static partial nint dlopen(string? file, int mode);
    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)] private static partial nint dlsym(nint handle, string name);
}
