using Targets.Llvm.Interop;

namespace Targets.Llvm;

/// <summary>
/// Owns an LLVM module until it is disposed or its ownership passes to LLVM (a JIT, the linker),
/// after which any use is an <see cref="ObjectDisposedException"/> instead of a use-after-free.
/// </summary>
public sealed class LlvmModule : IDisposable
{
    LLVMModuleRef handle;

    internal LlvmModule(LlvmContext context, LLVMModuleRef handle)
    {
        Context = context;
        this.handle = handle;
    }

    public LlvmContext Context { get; }

    public LLVMModuleRef Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsNull, this);
            return handle;
        }
    }

    /// <summary>The target triple (empty until a target machine configures the module).</summary>
    public string Triple
    {
        get => LlvmStrings.Borrow(LlvmApi.LLVMGetTarget(Handle));
        set => LlvmApi.LLVMSetTarget(Handle, value);
    }

    /// <summary>Runs LLVM's verifier; a broken module is an <see cref="LlvmException"/> with its report.</summary>
    public void Verify()
    {
        int broken = LlvmApi.LLVMVerifyModule(Handle, LLVMVerifierFailureAction.ReturnStatus, out nint message);
        string report = LlvmStrings.TakeMessage(message);
        if (broken != 0)
            throw new LlvmException("verify module", report);
    }

    /// <summary>Links <paramref name="other"/> into this module; <paramref name="other"/> is consumed.</summary>
    public void Link(LlvmModule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Context != Context)
            throw new ArgumentException("Expected a module of the same LLVM context.", nameof(other));
        if (LlvmApi.LLVMLinkModules2(Handle, other.Release()) != 0)
            throw new LlvmException("link modules", "conflicting definitions (see LLVM's diagnostics)");
    }

    public LlvmModule Clone() => Context.Adopt(new LlvmModule(Context, LlvmApi.LLVMCloneModule(Handle)));

    /// <summary>The module as textual IR.</summary>
    public override string ToString() =>
        handle.IsNull ? "<released module>" : LlvmStrings.TakeMessage(LlvmApi.LLVMPrintModuleToString(handle));

    /// <summary>Hands the module to LLVM: this wrapper no longer frees (or touches) it.</summary>
    public LLVMModuleRef Release()
    {
        LLVMModuleRef released = Handle;
        handle = default;
        Context.Forget(this);
        return released;
    }

    internal void MarkFreedByContext() => handle = default;

    public void Dispose()
    {
        if (handle.IsNull)
            return;
        LlvmApi.LLVMDisposeModule(handle);
        handle = default;
        Context.Forget(this);
    }
}
