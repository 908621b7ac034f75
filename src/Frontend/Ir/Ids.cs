namespace Targets.Frontend.Ir;

/// <summary>An SSA value of one function, numbered from 0; prints as <c>v3</c>.</summary>
public readonly record struct ValueId(int Index)
{
    public override string ToString() => "v" + Index;
}

/// <summary>A block of one function, numbered from 0; prints as <c>block2</c>.</summary>
public readonly record struct BlockId(int Index)
{
    public override string ToString() => "block" + Index;
}

/// <summary>A branch target: the block and the values bound to its parameters.</summary>
public sealed record BlockTarget(BlockId Block, ValueId[] Arguments);

/// <summary>Where an instruction came from: IL offset, and the C# line when a PDB was found.</summary>
public readonly record struct SourceLocation(int IlOffset, string? File, int Line)
{
    public override string ToString() =>
        File is null ? $"IL_{IlOffset:x4}" : $"{Path.GetFileName(File)}:{Line}";
}
