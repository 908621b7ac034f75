using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Diagnostics;

/// <summary>
/// Maps IL offsets to C# file:line through portable PDBs: the <c>.pdb</c> beside the assembly,
/// one embedded in it, or one registered with <see cref="Symbols.Register"/> (for assemblies
/// loaded from memory). Without a PDB, locations carry the IL offset only.
/// </summary>
internal sealed class SourceLocator
{
    static readonly ConcurrentDictionary<Assembly, MetadataReaderProvider?> Readers = new();
    readonly SequencePoint[] points;
    readonly MetadataReader? reader;
    readonly MethodDefinitionHandle handle;

    SourceLocator(SequencePoint[] points, MetadataReader? reader, MethodDefinitionHandle handle = default)
    {
        this.points = points;
        this.reader = reader;
        this.handle = handle;
    }

    /// <summary>The C# names of the method's locals by IL local index (empty without a PDB; compiler temporaries have none).</summary>
    public Dictionary<int, string> LocalNames()
    {
        var names = new Dictionary<int, string>();
        if (reader is null || handle.IsNil)
            return names;
        foreach (LocalScopeHandle scope in reader.GetLocalScopes(handle))
        {
            foreach (LocalVariableHandle local in reader.GetLocalScope(scope).GetLocalVariables())
            {
                LocalVariable variable = reader.GetLocalVariable(local);
                if (variable.Attributes != LocalVariableAttributes.DebuggerHidden)
                    names.TryAdd(variable.Index, reader.GetString(variable.Name));
            }
        }
        return names;
    }

    public static SourceLocator For(MethodBase method)
    {
        MetadataReaderProvider? provider = Readers.GetOrAdd(method.Module.Assembly, Open);
        if (provider is null)
            return new SourceLocator([], null);
        try
        {
            MetadataReader reader = provider.GetMetadataReader();
            MethodDefinitionHandle handle = MetadataTokens.MethodDefinitionHandle(method.MetadataToken);
            MethodDebugInformation info = reader.GetMethodDebugInformation(handle);
            return new SourceLocator(Visible(info.GetSequencePoints()), reader, handle);
        }
        catch (BadImageFormatException)
        {
            return new SourceLocator([], null);
        }
    }

    /// <summary>
    /// The points that are not hidden, in the blob's order — by IL offset: the format stores each
    /// offset as an unsigned delta from the one before. Counted, then copied: LINQ over this
    /// struct of another assembly is JIT-compiled in every process (~25 methods on a first compile).
    /// </summary>
    static SequencePoint[] Visible(SequencePointCollection all)
    {
        int count = 0;
        foreach (SequencePoint point in all)
            count += point.IsHidden ? 0 : 1;
        var visible = new SequencePoint[count];
        int at = 0;
        foreach (SequencePoint point in all)
        {
            if (!point.IsHidden)
                visible[at++] = point;
        }
        return visible;
    }

    public SourceLocation Locate(int ilOffset)
    {
        // The statement containing the offset; before the first statement (e.g. a closure
        // created on entry), the first statement is the best guess there is.
        SequencePoint? best = points.Length > 0 ? points[0] : null;
        foreach (SequencePoint point in points)
        {
            if (point.Offset > ilOffset)
                break;
            best = point;
        }
        if (best is not { } found || reader is null)
            return new SourceLocation(ilOffset, null, 0);
        string file = reader.GetString(reader.GetDocument(found.Document).Name);
        return new SourceLocation(ilOffset, file, found.StartLine);
    }

    internal static void Register(Assembly assembly, byte[] pdb) =>
        Readers[assembly] = MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(pdb));

    static MetadataReaderProvider? Open(Assembly assembly)
    {
        try
        {
            if (string.IsNullOrEmpty(assembly.Location))
                return null;
            string pdb = Path.ChangeExtension(assembly.Location, ".pdb");
            if (File.Exists(pdb))
                return MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdb));
            using var pe = new PEReader(File.OpenRead(assembly.Location));
            DebugDirectoryEntry embedded = pe.ReadDebugDirectory().FirstOrDefault(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
            return embedded.DataSize > 0 ? pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded) : null;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
