using System.Runtime.InteropServices;
using Targets.Llvm.Interop;

namespace Targets.Llvm;

/// <summary>
/// Owns an LLVM target machine: configures modules for it (triple, data layout — before any
/// optimisation, so the optimiser sees the real target), runs new-pass-manager pipelines with
/// it, and emits assembly or object code. An LLVM target machine is not safe for concurrent
/// use; calls on one instance are serialised.
/// </summary>
public sealed class TargetMachine : IDisposable
{
    readonly Lock gate = new();
    LLVMTargetMachineRef handle;

    TargetMachine(LLVMTargetMachineRef handle, string triple, string cpu, string features)
    {
        this.handle = handle;
        Triple = triple;
        Cpu = cpu;
        Features = features;
        LLVMTargetDataRef layout = LlvmApi.LLVMCreateTargetDataLayout(handle);
        DataLayout = LlvmStrings.TakeMessage(LlvmApi.LLVMCopyStringRepOfTargetData(layout));
        LlvmApi.LLVMDisposeTargetData(layout);
    }

    public string Triple { get; }
    public string Cpu { get; }
    public string Features { get; }
    public string DataLayout { get; }

    /// <summary>The raw handle; valid until <see cref="Dispose"/>.</summary>
    public LLVMTargetMachineRef Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsNull, this);
            return handle;
        }
    }

    /// <summary>
    /// A target machine for <paramref name="triple"/>. An unknown triple is an
    /// <see cref="LlvmException"/> carrying LLVM's message.
    /// </summary>
    public static TargetMachine Create(string triple, string cpu = "", string features = "",
        LLVMCodeGenOptLevel level = LLVMCodeGenOptLevel.Aggressive,
        LLVMRelocMode reloc = LLVMRelocMode.Default, LLVMCodeModel codeModel = LLVMCodeModel.Default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(triple);
        ArgumentNullException.ThrowIfNull(cpu);
        ArgumentNullException.ThrowIfNull(features);
        LlvmTargets.EnsureLoaded();
        if (LlvmApi.LLVMGetTargetFromTriple(triple, out LLVMTargetRef target, out nint message) != 0)
            throw new LlvmException($"find a target for triple '{triple}'", LlvmStrings.TakeMessage(message));
        LlvmStrings.TakeMessage(message);
        LLVMTargetMachineRef tm = LlvmApi.LLVMCreateTargetMachine(target, triple, cpu, features, level, reloc, codeModel);
        if (tm.IsNull)
            throw new LlvmException($"create a target machine for '{triple}'", $"cpu '{cpu}', features '{features}'");
        return new TargetMachine(tm, triple, cpu, features);
    }

    /// <summary>The machine this process runs on: host triple, CPU name and features (so AVX etc. are used).</summary>
    public static TargetMachine CreateHost(LLVMCodeGenOptLevel level = LLVMCodeGenOptLevel.Aggressive) =>
        Create(LlvmTargets.HostTriple, LlvmTargets.HostCpu, LlvmTargets.HostFeatures, level,
            LLVMRelocMode.PIC, LLVMCodeModel.JITDefault);

    /// <summary>Sets the module's triple and data layout to this machine's.</summary>
    public void Configure(LlvmModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        lock (gate)
        {
            module.Triple = Triple;
            LLVMTargetDataRef layout = LlvmApi.LLVMCreateTargetDataLayout(Handle);
            LlvmApi.LLVMSetModuleDataLayout(module.Handle, layout);
            LlvmApi.LLVMDisposeTargetData(layout);
        }
    }

    /// <summary>
    /// Runs a new-pass-manager pipeline (e.g. <c>default&lt;O3&gt;</c>) with this machine's cost model.
    /// A malformed pipeline or a pass failure is an <see cref="LlvmException"/>.
    /// </summary>
    public void Optimize(LlvmModule module, string pipeline = "default<O3>", bool vectorize = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(pipeline);
        LLVMPassBuilderOptionsRef options = LlvmApi.LLVMCreatePassBuilderOptions();
        try
        {
            int on = vectorize ? 1 : 0;
            LlvmApi.LLVMPassBuilderOptionsSetLoopVectorization(options, on);
            LlvmApi.LLVMPassBuilderOptionsSetSLPVectorization(options, on);
            LlvmApi.LLVMPassBuilderOptionsSetLoopInterleaving(options, on);
            LlvmApi.LLVMPassBuilderOptionsSetLoopUnrolling(options, 1);
            lock (gate)
                LlvmException.ThrowIfError(LlvmApi.LLVMRunPasses(module.Handle, pipeline, Handle, options), $"run passes '{pipeline}'");
        }
        finally
        {
            LlvmApi.LLVMDisposePassBuilderOptions(options);
        }
    }

    /// <summary>Assembly text (for NVPTX: PTX). The module must verify; code generation may change it, so emit from a clone to keep it.</summary>
    public string EmitAssembly(LlvmModule module)
    {
        byte[] bytes = Emit(module, LLVMCodeGenFileType.Assembly);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>An object file image.</summary>
    public byte[] EmitObject(LlvmModule module) => Emit(module, LLVMCodeGenFileType.Object);

    byte[] Emit(LlvmModule module, LLVMCodeGenFileType kind)
    {
        ArgumentNullException.ThrowIfNull(module);
        // Code generation on a broken module is undefined behaviour in LLVM (often an abort of
        // the whole process): verify first, always.
        module.Verify();
        LLVMMemoryBufferRef buffer;
        lock (gate)
        {
            if (LlvmApi.LLVMTargetMachineEmitToMemoryBuffer(Handle, module.Handle, kind, out nint message, out buffer) != 0)
                throw new LlvmException($"emit {(kind == LLVMCodeGenFileType.Assembly ? "assembly" : "an object file")} for '{Triple}'",
                    LlvmStrings.TakeMessage(message));
            LlvmStrings.TakeMessage(message);
        }
        try
        {
            byte[] bytes = new byte[(int)LlvmApi.LLVMGetBufferSize(buffer)];
            Marshal.Copy(LlvmApi.LLVMGetBufferStart(buffer), bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            LlvmApi.LLVMDisposeMemoryBuffer(buffer);
        }
    }

    /// <summary>Gives the handle to LLVM (an ORC target machine builder takes it).</summary>
    internal LLVMTargetMachineRef Release()
    {
        LLVMTargetMachineRef released = Handle;
        handle = default;
        return released;
    }

    public void Dispose()
    {
        if (handle.IsNull)
            return;
        LlvmApi.LLVMDisposeTargetMachine(handle);
        handle = default;
    }
}
