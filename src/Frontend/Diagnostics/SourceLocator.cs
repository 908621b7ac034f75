using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
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
    readonly Statement[] statements;
    readonly MetadataReader? reader;
    readonly int method; // the method's token (a handle is another assembly's struct, see Statement)

    /// <summary>
    /// Where a statement's IL starts and its file and line. Our own type, not the PDB reader's
    /// <see cref="SequencePoint"/>: ReadyToRun code may not depend on the layout of another
    /// assembly's struct, so every method holding one is JIT-compiled in each process — <see cref="Locate"/>
    /// runs for every instruction imported.
    /// </summary>
    readonly record struct Statement(int Offset, string File, int Line);

    SourceLocator(Statement[] statements, MetadataReader? reader, int method = 0)
    {
        this.statements = statements;
        this.reader = reader;
        this.method = method;
    }

    /// <summary>The C# names of the method's locals by IL local index (empty without a PDB; compiler temporaries have none).</summary>
    public Dictionary<int, string> LocalNames()
    {
        var names = new Dictionary<int, string>();
        if (reader is null || method == 0)
            return names;
        foreach (LocalScopeHandle scope in reader.GetLocalScopes(MetadataTokens.MethodDefinitionHandle(method)))
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

    /// <summary>Reads the PDB of <paramref name="method"/>'s assembly, if it has one, without parsing it yet.</summary>
    public static void Read(MethodBase method) => Readers.GetOrAdd(method.Module.Assembly, Open);

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
            return new SourceLocator(Statements(reader, info.GetSequencePoints()), reader, method.MetadataToken);
        }
        catch (BadImageFormatException)
        {
            return new SourceLocator([], null);
        }
    }

    /// <summary>
    /// The points that are not hidden, in the blob's order — by IL offset: the format stores each
    /// offset as an unsigned delta from the one before. Counted, then copied (LINQ over the reader's
    /// struct is JIT-compiled in every process: ~25 methods on a first compile).
    /// </summary>
    static Statement[] Statements(MetadataReader reader, SequencePointCollection points)
    {
        int count = 0;
        foreach (SequencePoint point in points)
            count += point.IsHidden ? 0 : 1;
        var statements = new Statement[count];
        int at = 0;
        DocumentHandle document = default;
        string file = "";
        foreach (SequencePoint point in points)
        {
            if (point.IsHidden)
                continue;
            if (at == 0 || point.Document != document)
            {
                document = point.Document;
                file = reader.GetString(reader.GetDocument(document).Name);
            }
            statements[at++] = new Statement(point.Offset, file, point.StartLine);
        }
        return statements;
    }

    public SourceLocation Locate(int ilOffset)
    {
        // The statement containing the offset; before the first statement (e.g. a closure
        // created on entry), the first statement is the best guess there is.
        if (statements.Length == 0)
            return new SourceLocation(ilOffset, null, 0);
        Statement best = statements[0];
        foreach (Statement statement in statements)
        {
            if (statement.Offset > ilOffset)
                break;
            best = statement;
        }
        return new SourceLocation(ilOffset, best.File, best.Line);
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
            // Read whole: a stream is memory-mapped past 16 KB (more native calls, and a first compile
            // makes its native calls before LLVM's load starts; see FrontendCompiler.ReadSources).
            if (File.Exists(pdb))
                return MetadataReaderProvider.FromPortablePdbImage(ImmutableCollectionsMarshal.AsImmutableArray(File.ReadAllBytes(pdb)));
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
