using Targets.Llvm.Interop;

namespace Targets.Llvm.Tests;

/// <summary>Every LLVM failure we can provoke becomes a .NET exception carrying LLVM's message.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void Invalid_module_reports_the_verifier_message()
    {
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = context.CreateModule("broken");
        LLVMValueRef fn = LlvmApi.LLVMAddFunction(module.Handle, "f", context.Function(context.Int32, context.Int32));
        using var builder = new LlvmBuilder(context);
        builder.PositionAtEnd(LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, fn, "entry"));
        // Returns an i64 from an i32 function: well-formed C API calls, invalid IR.
        LlvmApi.LLVMBuildRet(builder.Handle, LlvmApi.LLVMConstInt(context.Int64, 1, 0));

        var error = Assert.Throws<LlvmException>(module.Verify);
        Assert.Equal("verify module", error.Operation);
        Assert.Contains("Function return type does not match operand type of return inst", error.LlvmMessage);
    }

    [Fact]
    public void Block_without_terminator_is_rejected_before_code_generation()
    {
        using TargetMachine tm = TargetMachine.CreateHost();
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = context.CreateModule("unterminated");
        LLVMValueRef fn = LlvmApi.LLVMAddFunction(module.Handle, "f", context.Function(context.Void));
        LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, fn, "entry");
        var error = Assert.Throws<LlvmException>(() => tm.EmitAssembly(module));
        Assert.Contains("terminator", error.LlvmMessage);
    }

    [Fact]
    public void Broken_module_is_not_added_to_the_jit()
    {
        using JitEngine jit = JitEngine.Create();
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        using LlvmModule module = context.CreateModule("broken");
        LlvmApi.LLVMAppendBasicBlockInContext(context.Handle,
            LlvmApi.LLVMAddFunction(module.Handle, "f", context.Function(context.Void)), "entry");
        Assert.Throws<LlvmException>(() => jit.Add(module));
        Assert.Throws<LlvmException>(() => jit.Lookup("f"));
    }

    [Theory]
    [InlineData("not-a-triple")]
    [InlineData("riscv64-unknown-linux-gnu")] // real, but not registered in this process
    public void Unknown_triple_is_an_exception(string triple)
    {
        var error = Assert.Throws<LlvmException>(() => TargetMachine.Create(triple));
        Assert.Contains(triple, error.Message);
        Assert.NotEmpty(error.LlvmMessage);
    }

    [Fact]
    public void Textual_ir_syntax_errors_carry_the_parser_message()
    {
        using LlvmContext context = LlvmContext.Create();
        var error = Assert.Throws<LlvmException>(() => context.ParseIr("define i32 @f( { ret i32 0 }"));
        Assert.Equal("parse IR", error.Operation);
        Assert.Contains("error", error.LlvmMessage);
    }

    [Fact]
    public void Bad_pass_pipeline_is_an_exception()
    {
        using TargetMachine tm = TargetMachine.CreateHost();
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = context.ParseIr("define i32 @f() {\n  ret i32 0\n}\n");
        var error = Assert.Throws<LlvmException>(() => tm.Optimize(module, "no-such-pass"));
        Assert.Contains("no-such-pass", error.LlvmMessage);
    }

    [Fact]
    public void Modules_freed_with_their_context_are_not_freed_twice()
    {
        LlvmContext context = LlvmContext.Create();
        LlvmModule module = context.CreateModule("m");
        context.Dispose();
        Assert.Throws<ObjectDisposedException>(() => module.Handle);
        module.Dispose(); // a no-op, not a double free
    }

    [Fact]
    public void A_module_handed_to_the_jit_cannot_be_used_again()
    {
        using JitEngine jit = JitEngine.Create();
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        LlvmModule module = context.ParseIr("define i32 @seven() {\n  ret i32 7\n}\n");
        jit.Add(module);
        Assert.Throws<ObjectDisposedException>(() => module.Handle);
        Assert.Throws<ArgumentException>(() => jit.Add(LlvmContext.Create().CreateModule("plain")));
    }
}
