using System.Runtime.InteropServices;

namespace Targets.Llvm.Interop;

/// <summary>
/// Turns LLVM's C strings into .NET strings and frees each with the function its allocator needs:
/// <c>LLVMDisposeMessage</c> for <c>char**</c> out-messages and <c>Print…ToString</c> results,
/// <c>LLVMDisposeErrorMessage</c> for <c>LLVMGetErrorMessage</c>, nothing for strings owned by
/// LLVM objects (module triple, JIT strings). Mixing them up corrupts the native heap.
/// </summary>
public static class LlvmStrings
{
    /// <summary>Copies and frees a string that needs <c>LLVMDisposeMessage</c>; null gives "".</summary>
    public static string TakeMessage(nint message)
    {
        if (message == 0)
            return "";
        try
        {
            return Marshal.PtrToStringUTF8(message) ?? "";
        }
        finally
        {
            LlvmApi.LLVMDisposeMessage(message);
        }
    }

    /// <summary>Copies a string LLVM keeps owning.</summary>
    public static string Borrow(nint text) => text == 0 ? "" : Marshal.PtrToStringUTF8(text) ?? "";

    /// <summary>Consumes an error (null is success) and returns its message, or null for success.</summary>
    public static string? TakeError(LLVMErrorRef error)
    {
        if (error.IsNull)
            return null;
        nint message = LlvmApi.LLVMGetErrorMessage(error);
        try
        {
            return Marshal.PtrToStringUTF8(message) ?? "";
        }
        finally
        {
            LlvmApi.LLVMDisposeErrorMessage(message);
        }
    }
}
