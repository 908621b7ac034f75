namespace Targets;

/// <summary>
/// The compiler itself failed on a method: a bug in Targets, not in the code being compiled. Kept
/// apart from <see cref="CompilationException"/> (the code's fault: a construct refused, with its
/// line) so that a tool can tell the two apart and a user is not sent to change correct code. It
/// names the method and the stage that failed, carries the IR the stage was given when there was
/// one, and its inner exception is what the stage threw.
/// </summary>
public sealed class InternalCompilerErrorException : Exception
{
    public InternalCompilerErrorException(string method, string stage, Exception inner, string? ir = null)
        : base(Format(method, stage, inner), inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        MethodName = method;
        Stage = stage;
        Ir = ir;
    }

    /// <summary>The method being compiled, as the compiler names it.</summary>
    public string MethodName { get; }

    /// <summary>The stage that failed, e.g. "importing IL", "pass prune-refcounts", "verifying the IR after pass inline-straight-calls".</summary>
    public string Stage { get; }

    /// <summary>The module's IR as the failing stage left it (printed: for a verifier's refusal, the IR it refused), when the failure came after import; null otherwise.</summary>
    public string? Ir { get; }

    static string Format(string method, string stage, Exception inner) =>
        $"{method}: the compiler failed in {stage}: {inner?.GetType().Name}: {inner?.Message} — a bug in Targets, not in your code: "
        + "please report it with the method (and this exception's Ir, when set)";

    /// <summary>
    /// Whether <paramref name="e"/> is a compiler stage's own failure, to be reported as an internal
    /// error: anything but a refusal, an internal error already, or a plain
    /// <see cref="ArgumentException"/> (the API's argument errors, e.g. a jit class's layout that
    /// conflicts with its context). Its subclasses are bugs: an <see cref="ArgumentOutOfRangeException"/>
    /// is what a list indexed past its end throws.
    /// </summary>
    public static bool IsInternal(Exception e) =>
        e is not (CompilationException or InternalCompilerErrorException) && e.GetType() != typeof(ArgumentException);
}
