namespace Targets;

/// <summary>The kind of a <see cref="CompilationException"/>: stable, for tests and tools to match on.</summary>
public enum CompilationErrorKind
{
    /// <summary>A C# construct outside the supported subset (strings, boxing, virtual calls, try/catch, …).</summary>
    UnsupportedConstruct,
    /// <summary>A type the compiler cannot represent (a class, a struct, a generic parameter, …).</summary>
    UnsupportedType,
    /// <summary>A call to a method that cannot be compiled (no IL body, virtual, generic definition, …).</summary>
    UnsupportedCall,
    /// <summary>IL that violates its own rules (stack underflow, inconsistent stack at a join).</summary>
    InvalidIl,
    /// <summary>LLVM rejected what the compiler produced: a bug in the compiler, reported with LLVM's message.</summary>
    Backend,
    /// <summary>The iterations of a <see cref="Prange"/> loop would race: they write one variable or array element.</summary>
    Race,
}

/// <summary>
/// The method cannot be compiled. Names the method, the construct, the IL offset and, when the
/// assembly has a portable PDB, the C# file and line.
/// </summary>
public sealed class CompilationException : Exception
{
    public CompilationException(CompilationErrorKind kind, string method, string construct, int ilOffset,
        string? sourceFile, int sourceLine, string detail, Exception? inner = null, DiagnosticCode? code = null)
        : base(Format(kind, code ?? DiagnosticCodes.Default(kind), method, construct, ilOffset, sourceFile, sourceLine, detail), inner)
    {
        Kind = kind;
        Code = code ?? DiagnosticCodes.Default(kind);
        MethodName = method;
        Construct = construct;
        IlOffset = ilOffset;
        SourceFile = sourceFile;
        SourceLine = sourceLine;
    }

    public CompilationErrorKind Kind { get; }

    /// <summary>The stable code of this refusal (<see cref="DiagnosticCode"/>): what to match on, not the message.</summary>
    public DiagnosticCode Code { get; }

    /// <summary>The method being compiled, as <c>Type.Method</c>.</summary>
    public string MethodName { get; }

    /// <summary>The construct that failed, e.g. "ldstr (strings)", "callvirt", "try/catch".</summary>
    public string Construct { get; }

    /// <summary>The IL offset, or -1 when the error is about the whole method.</summary>
    public int IlOffset { get; }

    /// <summary>The C# file, when a portable PDB was found.</summary>
    public string? SourceFile { get; }

    /// <summary>The C# line (1-based), or 0 when unknown.</summary>
    public int SourceLine { get; }

    static string Format(CompilationErrorKind kind, DiagnosticCode code, string method, string construct, int ilOffset,
        string? file, int line, string detail)
    {
        string il = ilOffset >= 0 ? $"IL_{ilOffset:x4}" : "";
        string where = file is null ? il : il.Length == 0 ? $"{Path.GetFileName(file)}:{line}" : $"{Path.GetFileName(file)}:{line} ({il})";
        string location = where.Length == 0 ? "" : $" at {where}";
        string what = kind switch
        {
            CompilationErrorKind.InvalidIl or CompilationErrorKind.Backend => construct,
            _ => $"{construct} is not supported",
        };
        return $"{method}: {what}{location}: {detail} [{DiagnosticCodes.Format(code)} {kind}]";
    }
}
