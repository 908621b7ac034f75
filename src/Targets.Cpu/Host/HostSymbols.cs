using Targets.Llvm;
using Targets.Llvm.Linking;

namespace Targets.Cpu.Host;

/// <summary>
/// The symbols compiled code links against in this process, whichever linker loads it: the NRT
/// runtime's entry points and state, the host's callbacks, jit-class destructors (all loaded
/// without LLVM, see <see cref="Llvm.Linking.NativeImage"/>), and the C library. Code loaded from
/// the persistent cache resolves through <see cref="Resolve"/>; the ORC JIT that links freshly
/// compiled code gets every symbol as an absolute definition once it exists (<see cref="Attach"/>)
/// and each later one as it is defined, so both linkers see one set of addresses.
/// </summary>
internal static class HostSymbols
{
    static readonly Lock Gate = new();
    static readonly Dictionary<string, nint> Symbols = new(StringComparer.Ordinal);
    static JitEngine? jit;

    /// <summary>
    /// Where other symbols compiled code calls are found: the process's global scope (as the ORC JIT
    /// resolves them), then the C maths library, the C library, and GCC's support library (the
    /// helpers LLVM calls for operations the CPU lacks).
    /// </summary>
    static readonly Lazy<nint[]> Libraries = new(() =>
    {
        // A loop, not LINQ over nint: generic code over value types is JIT-compiled on a cache hit's path.
        var handles = new nint[4];
        int count = 0;
        handles[count++] = SharedLibraries.MainProgram;
        foreach (string name in (string[])["libm.so.6", "libc.so.6", "libgcc_s.so.1"])
        {
            if (SharedLibraries.Open(name) is not 0 and nint handle)
                handles[count++] = handle;
        }
        return handles[..count];
    });

    /// <summary>Makes <paramref name="name"/> resolve to <paramref name="address"/> for every linker; a second definition must agree.</summary>
    public static void Define(string name, nint address)
    {
        lock (Gate)
        {
            if (Symbols.TryGetValue(name, out nint known))
            {
                if (known != address)
                    throw new InvalidOperationException($"Symbol '{name}' is already defined at 0x{known:x}, not 0x{address:x}.");
                return;
            }
            Symbols[name] = address;
            jit?.DefineAbsolute(name, address);
        }
    }

    /// <summary>The address of a defined symbol or a C library export; 0 when there is none.</summary>
    public static nint Resolve(string name)
    {
        lock (Gate)
        {
            if (Symbols.TryGetValue(name, out nint address))
                return address;
        }
        if (StaticArrays.Resolve(name) is not 0 and nint array)
        {
            Define(name, array);
            return array;
        }
        foreach (nint library in Libraries.Value)
        {
            if (SharedLibraries.Symbol(library, name) is not 0 and nint export)
                return export;
        }
        return 0;
    }

    /// <summary>Gives <paramref name="engine"/> every symbol defined so far and each one defined later.</summary>
    public static JitEngine Attach(JitEngine engine)
    {
        lock (Gate)
        {
            foreach ((string name, nint address) in Symbols)
                engine.DefineAbsolute(name, address);
            jit = engine;
        }
        return engine;
    }
}
