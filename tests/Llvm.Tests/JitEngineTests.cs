using Targets.Llvm.Interop;

namespace Targets.Llvm.Tests;

/// <summary>LLJIT end to end: modules built with the builder API, added, looked up and called.</summary>
public sealed unsafe class JitEngineTests
{
    /// <summary>Defines <c>i32 name(i32 a, i32 b) = a + b</c> in <paramref name="module"/>.</summary>
    static LLVMValueRef DefineAdd(LlvmContext context, LlvmModule module, string name)
    {
        LLVMTypeRef i32 = context.Int32;
        LLVMValueRef fn = LlvmApi.LLVMAddFunction(module.Handle, name, context.Function(i32, i32, i32));
        using var builder = new LlvmBuilder(context);
        builder.PositionAtEnd(LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, fn, "entry"));
        LLVMValueRef sum = LlvmApi.LLVMBuildAdd(builder.Handle, LlvmApi.LLVMGetParam(fn, 0), LlvmApi.LLVMGetParam(fn, 1), "sum");
        LlvmApi.LLVMBuildRet(builder.Handle, sum);
        return fn;
    }

    [Fact]
    public void An_object_file_compiled_ahead_runs_in_a_jit_of_another_engine()
    {
        byte[] image;
        using (JitEngine first = JitEngine.Create())
        using (LlvmContext context = LlvmContext.Create())
        using (LlvmModule module = context.CreateModule("ahead"))
        {
            DefineAdd(context, module, "add_ahead");
            first.Optimizer.Configure(module);
            first.Optimizer.Optimize(module);
            image = first.Optimizer.EmitObject(module); // what a cache would keep on disk
        }
        using JitEngine second = JitEngine.Create();
        JitCode code = second.AddObject(image, "ahead.o");
        var add = (delegate* unmanaged<int, int, int>)second.Lookup("add_ahead");
        Assert.Equal(42, add(40, 2));
        code.Dispose();
        Assert.Throws<LlvmException>(() => second.Lookup("add_ahead")); // released with its code
        Assert.Throws<ArgumentException>(() => second.AddObject(new byte[] { 1, 2, 3, 4 }, "not-an-object"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_disposed_engine_refuses_every_use_whether_or_not_it_made_its_jit(bool used)
    {
        JitEngine jit = JitEngine.Create();
        if (used)
            Assert.Throws<LlvmException>(() => jit.Lookup("nothing"));
        jit.Dispose();
        jit.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => jit.Lookup("nothing"));
        Assert.Throws<ObjectDisposedException>(() => jit.DefineAbsolute("late", 1));
        Assert.Throws<ObjectDisposedException>(() => jit.Optimizer.Handle);
    }

    [Fact]
    public void Function_built_with_the_builder_is_called_through_a_pointer()
    {
        using JitEngine jit = JitEngine.Create();
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        LlvmModule module = context.CreateModule("add");
        DefineAdd(context, module, "add");
        jit.Optimizer.Configure(module);
        jit.Optimizer.Optimize(module);
        jit.Add(module);

        var add = (delegate* unmanaged<int, int, int>)jit.Lookup("add");
        Assert.Equal(42, add(40, 2));
        Assert.Equal(int.MinValue, add(int.MaxValue, 1)); // wraps, as C# does unchecked
    }

    [Fact]
    public void A_second_module_calls_a_function_of_the_first()
    {
        using JitEngine jit = JitEngine.Create();
        using LlvmContext first = LlvmContext.CreateThreadSafe();
        LlvmModule library = first.CreateModule("library");
        DefineAdd(first, library, "lib_add");
        jit.Optimizer.Configure(library);
        jit.Add(library);

        using LlvmContext second = LlvmContext.CreateThreadSafe();
        LlvmModule user = second.CreateModule("user");
        LLVMTypeRef i32 = second.Int32;
        LLVMTypeRef addType = second.Function(i32, i32, i32);
        LLVMValueRef external = LlvmApi.LLVMAddFunction(user.Handle, "lib_add", addType);
        LLVMValueRef twice = LlvmApi.LLVMAddFunction(user.Handle, "twice", second.Function(i32, i32));
        using (var builder = new LlvmBuilder(second))
        {
            builder.PositionAtEnd(LlvmApi.LLVMAppendBasicBlockInContext(second.Handle, twice, "entry"));
            LLVMValueRef x = LlvmApi.LLVMGetParam(twice, 0);
            LLVMValueRef* args = stackalloc LLVMValueRef[] { x, x };
            LLVMValueRef call = LlvmApi.LLVMBuildCall2(builder.Handle, addType, external, args, 2, "r");
            LlvmApi.LLVMBuildRet(builder.Handle, call);
        }
        jit.Optimizer.Configure(user);
        jit.Add(user);

        var call2 = (delegate* unmanaged<int, int>)jit.Lookup("twice");
        Assert.Equal(42, call2(21));
    }

    [Fact]
    public void Libm_functions_resolve_from_the_process()
    {
        using JitEngine jit = JitEngine.Create();
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        LlvmModule module = context.CreateModule("libm");
        LLVMTypeRef f64 = context.Double;
        LLVMTypeRef unary = context.Function(f64, f64);
        // cbrt has no LLVM intrinsic, so this is a real call into libm whatever the optimiser does.
        LLVMValueRef cbrt = LlvmApi.LLVMAddFunction(module.Handle, "cbrt", unary);
        LLVMValueRef fn = LlvmApi.LLVMAddFunction(module.Handle, "my_cbrt", unary);
        using (var builder = new LlvmBuilder(context))
        {
            builder.PositionAtEnd(LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, fn, "entry"));
            LLVMValueRef arg = LlvmApi.LLVMGetParam(fn, 0);
            LlvmApi.LLVMBuildRet(builder.Handle, LlvmApi.LLVMBuildCall2(builder.Handle, unary, cbrt, &arg, 1, "r"));
        }
        jit.Optimizer.Configure(module);
        jit.Optimizer.Optimize(module);
        jit.Add(module);

        var f = (delegate* unmanaged<double, double>)jit.Lookup("my_cbrt");
        foreach (double x in new[] { 27.0, -8.0, 2.0, 0.0, double.PositiveInfinity })
            Assert.Equal(Math.Cbrt(x), f(x));
    }

    [Fact]
    public void Looking_up_an_unknown_symbol_is_an_exception()
    {
        using JitEngine jit = JitEngine.Create();
        var error = Assert.Throws<LlvmException>(() => jit.Lookup("no_such_function"));
        Assert.Contains("no_such_function", error.Message);
    }

    [Fact]
    public void Removed_code_is_no_longer_found()
    {
        using JitEngine jit = JitEngine.Create();
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        LlvmModule module = context.CreateModule("gone");
        DefineAdd(context, module, "gone_add");
        jit.Optimizer.Configure(module);
        JitCode code = jit.Add(module);
        Assert.NotEqual(0, jit.Lookup("gone_add"));
        code.Dispose();
        Assert.Throws<LlvmException>(() => jit.Lookup("gone_add"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Host_addresses_can_be_injected_as_symbols(bool afterFirstUse)
    {
        using JitEngine jit = JitEngine.Create();
        if (afterFirstUse)
            Assert.Throws<LlvmException>(() => jit.Lookup("host_square")); // the LLJIT is made now, and knows no such symbol yet
        delegate* unmanaged<int, int> square = &Square;
        jit.DefineAbsolute("host_square", (nint)square);
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        LlvmModule module = context.CreateModule("callback");
        LLVMTypeRef i32 = context.Int32;
        LLVMTypeRef unary = context.Function(i32, i32);
        LLVMValueRef host = LlvmApi.LLVMAddFunction(module.Handle, "host_square", unary);
        LLVMValueRef fn = LlvmApi.LLVMAddFunction(module.Handle, "plus_one_squared", unary);
        using (var builder = new LlvmBuilder(context))
        {
            builder.PositionAtEnd(LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, fn, "entry"));
            LLVMValueRef x = LlvmApi.LLVMBuildAdd(builder.Handle, LlvmApi.LLVMGetParam(fn, 0), LlvmApi.LLVMConstInt(i32, 1, 0), "x");
            LlvmApi.LLVMBuildRet(builder.Handle, LlvmApi.LLVMBuildCall2(builder.Handle, unary, host, &x, 1, "r"));
        }
        jit.Optimizer.Configure(module);
        jit.Add(module);
        Assert.Equal(49, ((delegate* unmanaged<int, int>)jit.Lookup("plus_one_squared"))(6));
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    static int Square(int x) => x * x;
}
