using Targets.Llvm.Interop;

namespace Targets.Llvm.Tests;

/// <summary>NVPTX emission for several architectures, checked by NVIDIA's ptxas where present.</summary>
public sealed unsafe class PtxEmissionTests
{
    /// <summary>
    /// <c>saxpy(float a, float* x, float* y, i32 n)</c>: y[i] = a*x[i] + y[i] for the global thread
    /// index i &lt; n, with the index read from the NVPTX special registers.
    /// </summary>
    static LlvmModule BuildSaxpy(LlvmContext context)
    {
        LlvmModule module = context.CreateModule("saxpy");
        LLVMTypeRef f32 = context.Float, i32 = context.Int32, ptr = context.Pointer(1);
        LLVMValueRef kernel = LlvmApi.LLVMAddFunction(module.Handle, "saxpy", context.Function(context.Void, f32, ptr, ptr, i32));
        LlvmApi.LLVMSetFunctionCallConv(kernel, LLVMCallConv.PtxKernel);
        LLVMTypeRef readSreg = context.Function(i32);
        LLVMValueRef Sreg(string name) => LlvmApi.LLVMAddFunction(module.Handle, name, readSreg);
        LLVMValueRef tid = Sreg("llvm.nvvm.read.ptx.sreg.tid.x"), ntid = Sreg("llvm.nvvm.read.ptx.sreg.ntid.x"),
            ctaid = Sreg("llvm.nvvm.read.ptx.sreg.ctaid.x");

        using var b = new LlvmBuilder(context);
        LLVMBasicBlockRef entry = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, kernel, "entry");
        LLVMBasicBlockRef body = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, kernel, "body");
        LLVMBasicBlockRef done = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, kernel, "done");
        b.PositionAtEnd(entry);
        LLVMValueRef Call(LLVMValueRef fn) => LlvmApi.LLVMBuildCall2(b.Handle, readSreg, fn, null, 0, "");
        LLVMValueRef index = LlvmApi.LLVMBuildAdd(b.Handle,
            LlvmApi.LLVMBuildMul(b.Handle, Call(ctaid), Call(ntid), ""), Call(tid), "i");
        LLVMValueRef inRange = LlvmApi.LLVMBuildICmp(b.Handle, LLVMIntPredicate.SLT, index, LlvmApi.LLVMGetParam(kernel, 3), "");
        LlvmApi.LLVMBuildCondBr(b.Handle, inRange, body, done);

        b.PositionAtEnd(body);
        LLVMValueRef wide = LlvmApi.LLVMBuildSExt(b.Handle, index, context.Int64, "");
        LLVMValueRef xPtr = LlvmApi.LLVMBuildGEP2(b.Handle, f32, LlvmApi.LLVMGetParam(kernel, 1), &wide, 1, "");
        LLVMValueRef yPtr = LlvmApi.LLVMBuildGEP2(b.Handle, f32, LlvmApi.LLVMGetParam(kernel, 2), &wide, 1, "");
        LLVMValueRef ax = LlvmApi.LLVMBuildFMul(b.Handle, LlvmApi.LLVMGetParam(kernel, 0), LlvmApi.LLVMBuildLoad2(b.Handle, f32, xPtr, ""), "");
        LlvmApi.LLVMBuildStore(b.Handle, LlvmApi.LLVMBuildFAdd(b.Handle, ax, LlvmApi.LLVMBuildLoad2(b.Handle, f32, yPtr, ""), ""), yPtr);
        LlvmApi.LLVMBuildBr(b.Handle, done);

        b.PositionAtEnd(done);
        LlvmApi.LLVMBuildRetVoid(b.Handle);
        return module;
    }

    static string EmitSaxpy(PtxOptions options)
    {
        using TargetMachine tm = PtxTargetMachine.Create(options);
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = BuildSaxpy(context);
        tm.Configure(module);
        tm.Optimize(module);
        return tm.EmitAssembly(module);
    }

    public static TheoryData<int, int> Architectures => new() { { 70, 0 }, { 80, 0 }, { 90, 0 }, { 70, 78 }, { 80, 78 } };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Kernel_is_emitted_as_a_ptx_entry_for_the_architecture(int sm, int ptx)
    {
        var options = new PtxOptions { Sm = sm, PtxVersion = ptx };
        string text = EmitSaxpy(options);
        Assert.Contains($".target sm_{sm}", text);
        Assert.Contains($".version {options.EffectivePtxVersion / 10}.{options.EffectivePtxVersion % 10}", text);
        Assert.Contains(".visible .entry saxpy(", text);
        // Rounded per operation (.rn), never contracted into an fma: the results .NET computes.
        Assert.Contains("mul.rn.f32", text);
        Assert.Contains("add.rn.f32", text);
        Assert.DoesNotContain("fma", text);
    }

    [PtxasFact]
    public void Every_emitted_module_assembles_with_ptxas()
    {
        foreach ((int sm, int ptx) in new[] { (70, 0), (80, 0), (90, 0), (70, 78), (80, 78) })
        {
            string? diagnostics = Ptxas.Check(EmitSaxpy(new PtxOptions { Sm = sm, PtxVersion = ptx }), sm);
            Assert.True(diagnostics is null, $"sm_{sm}: {diagnostics}");
        }
    }

    [PtxasFact]
    public void Ptxas_rejects_broken_ptx()
    {
        // The check itself must be able to fail, or a green PTX test means nothing.
        string? diagnostics = Ptxas.Check(".version 7.0\n.target sm_70\n.address_size 64\n.visible .entry k() { bogus.instruction; }\n", 70);
        Assert.NotNull(diagnostics);
    }

    [Theory]
    [InlineData(71, 0, "Sm")]            // no such architecture
    [InlineData(80, 65, "PtxVersion")]   // sm_80 needs PTX 7.0
    [InlineData(70, 99, "PtxVersion")]   // no such ISA in LLVM 19
    public void Unsupported_options_are_argument_exceptions(int sm, int ptx, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => PtxTargetMachine.Create(new PtxOptions { Sm = sm, PtxVersion = ptx }));
        Assert.Equal(parameter, error.ParamName);
    }
}
