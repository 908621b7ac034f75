using Targets.Llvm.Interop;

namespace Targets.Llvm.Tests;

/// <summary>RSS is process-wide: tests in this collection run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>Creating and disposing LLVM objects in a loop must not grow native memory.</summary>
[Collection(nameof(RunsAlone))]
public sealed class NativeLeakTests
{
    static long ResidentBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
        }
        throw new InvalidOperationException("/proc/self/status has no VmRSS");
    }

    static void CreateAndDispose(int count)
    {
        for (int i = 0; i < count; i++)
        {
            using LlvmContext context = LlvmContext.Create();
            using LlvmModule module = context.CreateModule("leak" + i);
            LLVMValueRef fn = LlvmApi.LLVMAddFunction(module.Handle, "f", context.Function(context.Int32, context.Int32));
            using var builder = new LlvmBuilder(context);
            builder.PositionAtEnd(LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, fn, "entry"));
            LlvmApi.LLVMBuildRet(builder.Handle, LlvmApi.LLVMGetParam(fn, 0));
            module.Verify();
            _ = module.ToString(); // exercises the LLVMDisposeMessage path
        }
    }

    [Fact]
    public void Ten_thousand_contexts_and_modules_keep_rss_flat()
    {
        // Warm up first so allocator arenas and LLVM's global state reach their steady size.
        CreateAndDispose(1_000);
        long before = ResidentBytes();
        CreateAndDispose(10_000);
        long growth = ResidentBytes() - before;
        // One context with a module and a function costs several KiB, so a leak per iteration
        // would add tens of MiB over 10,000 iterations. 8 MiB leaves room for allocator noise
        // (glibc arenas, the GC's own heap) without hiding a real per-iteration leak.
        Assert.True(growth < 8L * 1024 * 1024, $"RSS grew by {growth / 1024} KiB over 10,000 iterations");
    }
}
