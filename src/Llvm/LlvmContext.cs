using Targets.Llvm.Interop;

namespace Targets.Llvm;

/// <summary>
/// Owns an LLVM context: either a plain one or one inside an ORC thread-safe context (the kind
/// whose modules a <see cref="JitEngine"/> accepts). An LLVM context is single-threaded: use one
/// per compilation. Disposing it frees every module still in it, so those wrappers are marked
/// released rather than freed twice.
/// </summary>
public sealed class LlvmContext : IDisposable
{
    readonly List<LlvmModule> modules = [];
    LLVMContextRef handle;

    LlvmContext(LLVMContextRef handle, LLVMOrcThreadSafeContextRef threadSafe)
    {
        this.handle = handle;
        ThreadSafe = threadSafe;
    }

    /// <summary>A plain context, for modules that are printed, verified or emitted (PTX, assembly).</summary>
    public static LlvmContext Create()
    {
        LlvmTargets.EnsureLoaded();
        return new(LlvmApi.LLVMContextCreate(), default);
    }

    /// <summary>A context inside an ORC thread-safe context: its modules can be added to a JIT.</summary>
    public static LlvmContext CreateThreadSafe()
    {
        LlvmTargets.EnsureLoaded();
        LLVMOrcThreadSafeContextRef tsc = LlvmApi.LLVMOrcCreateNewThreadSafeContext();
        return new(LlvmApi.LLVMOrcThreadSafeContextGetContext(tsc), tsc);
    }

    /// <summary>The raw context; valid until <see cref="Dispose"/>.</summary>
    public LLVMContextRef Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsNull, this);
            return handle;
        }
    }

    internal LLVMOrcThreadSafeContextRef ThreadSafe { get; }

    public LLVMTypeRef Int1 => LlvmApi.LLVMInt1TypeInContext(Handle);
    public LLVMTypeRef Int8 => LlvmApi.LLVMInt8TypeInContext(Handle);
    public LLVMTypeRef Int16 => LlvmApi.LLVMInt16TypeInContext(Handle);
    public LLVMTypeRef Int32 => LlvmApi.LLVMInt32TypeInContext(Handle);
    public LLVMTypeRef Int64 => LlvmApi.LLVMInt64TypeInContext(Handle);
    public LLVMTypeRef Float => LlvmApi.LLVMFloatTypeInContext(Handle);
    public LLVMTypeRef Double => LlvmApi.LLVMDoubleTypeInContext(Handle);
    public LLVMTypeRef Void => LlvmApi.LLVMVoidTypeInContext(Handle);

    /// <summary>The opaque pointer type of an address space (0: generic, 1: global on NVPTX).</summary>
    public LLVMTypeRef Pointer(uint addressSpace = 0) => LlvmApi.LLVMPointerTypeInContext(Handle, addressSpace);

    public unsafe LLVMTypeRef Function(LLVMTypeRef returnType, params ReadOnlySpan<LLVMTypeRef> parameters)
    {
        fixed (LLVMTypeRef* p = parameters)
            return LlvmApi.LLVMFunctionType(returnType, p, (uint)parameters.Length, 0);
    }

    public unsafe LLVMTypeRef Struct(params ReadOnlySpan<LLVMTypeRef> elements)
    {
        fixed (LLVMTypeRef* p = elements)
            return LlvmApi.LLVMStructTypeInContext(Handle, p, (uint)elements.Length, 0);
    }

    public LlvmModule CreateModule(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Track(LlvmApi.LLVMModuleCreateWithNameInContext(name, Handle));
    }

    /// <summary>Parses textual IR; a syntax error is an <see cref="LlvmException"/> with LLVM's message.</summary>
    public unsafe LlvmModule ParseIr(string text, string name = "ir")
    {
        ArgumentNullException.ThrowIfNull(text);
        LLVMMemoryBufferRef buffer = CopyToBuffer(System.Text.Encoding.UTF8.GetBytes(text), name);
        // LLVMParseIRInContext takes the buffer whatever happens (IRReader.cpp wraps it in a unique_ptr).
        if (LlvmApi.LLVMParseIRInContext(Handle, buffer, out LLVMModuleRef module, out nint message) != 0)
            throw new LlvmException("parse IR", LlvmStrings.TakeMessage(message));
        LlvmStrings.TakeMessage(message);
        return Track(module);
    }

    /// <summary>Reads a bitcode module (e.g. libdevice) from a file.</summary>
    public LlvmModule ParseBitcodeFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new ArgumentException($"Expected an existing LLVM bitcode file, got '{path}'.", nameof(path));
        LLVMMemoryBufferRef buffer = CopyToBuffer(File.ReadAllBytes(path), Path.GetFileName(path));
        try
        {
            if (LlvmApi.LLVMParseBitcodeInContext2(Handle, buffer, out LLVMModuleRef module) != 0)
                throw new LlvmException("read bitcode", $"'{path}' is not valid LLVM 19 bitcode");
            return Track(module);
        }
        finally
        {
            LlvmApi.LLVMDisposeMemoryBuffer(buffer);
        }
    }

    static unsafe LLVMMemoryBufferRef CopyToBuffer(byte[] bytes, string name)
    {
        fixed (byte* p = bytes)
            return LlvmApi.LLVMCreateMemoryBufferWithMemoryRangeCopy(p, (nuint)bytes.Length, name);
    }

    LlvmModule Track(LLVMModuleRef module) => Adopt(new LlvmModule(this, module));

    internal LlvmModule Adopt(LlvmModule module)
    {
        lock (modules)
            modules.Add(module);
        return module;
    }

    internal void Forget(LlvmModule module)
    {
        lock (modules)
            modules.Remove(module);
    }

    public void Dispose()
    {
        if (handle.IsNull)
            return;
        lock (modules)
        {
            foreach (LlvmModule module in modules)
                module.MarkFreedByContext();
            modules.Clear();
        }
        if (ThreadSafe.IsNull)
            LlvmApi.LLVMContextDispose(handle);
        else
            LlvmApi.LLVMOrcDisposeThreadSafeContext(ThreadSafe);
        handle = default;
    }
}
