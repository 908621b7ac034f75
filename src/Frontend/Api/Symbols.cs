using System.Reflection;
using Targets.Frontend.Diagnostics;

namespace Targets;

/// <summary>
/// Debug symbols for assemblies the compiler cannot find a PDB for on disk (assemblies loaded
/// from memory, e.g. built with Roslyn at run time), so errors can name the C# file and line.
/// </summary>
public static class Symbols
{
    /// <summary>Registers the portable PDB image of <paramref name="assembly"/>.</summary>
    public static void Register(Assembly assembly, byte[] portablePdb)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(portablePdb);
        if (portablePdb.Length < 4 || portablePdb[0] != (byte)'B' || portablePdb[1] != (byte)'S' || portablePdb[2] != (byte)'J' || portablePdb[3] != (byte)'B')
            throw new ArgumentException("Expected a portable PDB image (it starts with the metadata signature 'BSJB').", nameof(portablePdb));
        SourceLocator.Register(assembly, portablePdb);
    }
}
