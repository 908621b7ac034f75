using Targets.Llvm.Interop;

namespace Targets.Llvm;

/// <summary>
/// A failure reported by LLVM (verifier, target lookup, code generation, JIT), carrying LLVM's
/// own message. Compiler front ends wrap it in a <c>CompilationException</c> naming the method.
/// </summary>
public sealed class LlvmException : Exception
{
    public LlvmException() { }
    public LlvmException(string message) : base(message) { }
    public LlvmException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The operation that failed, e.g. "verify module", "lookup 'add'".</summary>
    public string Operation { get; } = "";

    /// <summary>LLVM's own diagnostic text.</summary>
    public string LlvmMessage { get; } = "";

    internal LlvmException(string operation, string llvmMessage)
        : base($"LLVM failed to {operation}: {llvmMessage.TrimEnd()}")
    {
        Operation = operation;
        LlvmMessage = llvmMessage.TrimEnd();
    }

    /// <summary>Throws when <paramref name="error"/> is an error; consumes it either way.</summary>
    internal static void ThrowIfError(LLVMErrorRef error, string operation)
    {
        string? message = LlvmStrings.TakeError(error);
        if (message is not null)
            throw new LlvmException(operation, message);
    }
}
