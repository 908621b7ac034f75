using Targets.Llvm.Interop;

namespace Targets.Llvm;

/// <summary>Owns an LLVM IR builder of one context. Builders are single-threaded, like their context.</summary>
public sealed class LlvmBuilder : IDisposable
{
    LLVMBuilderRef handle;

    public LlvmBuilder(LlvmContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        handle = LlvmApi.LLVMCreateBuilderInContext(context.Handle);
    }

    public LLVMBuilderRef Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsNull, this);
            return handle;
        }
    }

    public void PositionAtEnd(LLVMBasicBlockRef block) => LlvmApi.LLVMPositionBuilderAtEnd(Handle, block);

    public void Dispose()
    {
        if (handle.IsNull)
            return;
        LlvmApi.LLVMDisposeBuilder(handle);
        handle = default;
    }
}
