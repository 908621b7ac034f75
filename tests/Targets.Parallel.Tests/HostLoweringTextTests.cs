using Targets.Cpu.Host;
using Targets.Frontend.Ir;
using Targets.Llvm;
using Targets.Llvm.Lowering;

namespace Targets.Parallel.Tests;

/// <summary>
/// The host lowering's LLVM text, through the compile driver, for one hand-written module with a
/// parallel loop: the cpu lowering runs the dispatch's in-order call of the body; the parallel
/// lowering replaces it with a call of the runtime's <c>targets_parallel_for</c> and a chunk
/// trampoline; both give every function the internal convention and the entry a host trampoline.
/// </summary>
public sealed class HostLoweringTextTests
{
    const string Module = """
        function Run(f64[]) -> void
          slots: s0:f64[]
        block0(v0: f64[]):
          v1: i64 = const.i64 10                           ; IL_0000
          v2: i64 = const.i64 0                            ; IL_0000
          v3: i64 = const.i64 1                            ; IL_0000
          call Dispatch(v1, v2, v3, v0)                    ; IL_0000
          return                                           ; IL_0000

        function Body(i64, i64, i64, i64, f64[]) -> void
          slots: s0:i64 s1:i64 s2:i64 s3:i64 s4:f64[]
        block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: f64[]):
          return                                           ; IL_0000

        function Dispatch(i64, i64, i64, f64[]) -> void
          slots: s0:i64 s1:i64 s2:i64 s3:f64[]
          parallel: body Body, captures 1, reductions [] at IL_0000
        block0(v0: i64, v1: i64, v2: i64, v3: f64[]):
          v4: i64 = const.i64 0                            ; IL_0000
          call Body(v4, v0, v1, v2, v3)                    ; IL_0000
          return                                           ; IL_0000


        """;

    static string Lowered(int workers)
    {
        var layouts = new LayoutContext();
        IrModule ir = IrParser.Parse(Module, layouts, _ => null);
        HostLowering lowering = workers == 0
            ? new HostLowering(layouts, _ => "no_destructor")
            : new ParallelLowering(layouts, _ => "no_destructor", resolveToken: null, workers);
        using TargetMachine machine = TargetMachine.CreateHost();
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = CompileDriver.Lower(ir, new TargetDescriptor(lowering, machine), context, "t", CompileOptions.Default, optimize: false);
        return module.ToString();
    }

    [Fact]
    public void The_cpu_lowering_runs_the_loop_in_order_and_the_parallel_one_through_the_runtime()
    {
        string cpu = Lowered(workers: 0);
        string parallel = Lowered(workers: 4);
        foreach (string text in new[] { cpu, parallel })
        {
            Assert.Contains("define internal i32 @Body(ptr %0, ptr %1, i64 %2, i64 %3, i64 %4, i64 %5, ptr %6)", text, StringComparison.Ordinal); // i32 status (ptr record, ptr result, params…)
            Assert.Contains($"@t.Run{HostLowering.EntrySuffix}", text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(ParallelLowering.ParallelFor, cpu, StringComparison.Ordinal);
        Assert.Contains($"call i32 @{ParallelLowering.ParallelFor}(", parallel, StringComparison.Ordinal);
        Assert.Contains("define internal i32 @Dispatch.chunk(", parallel, StringComparison.Ordinal);
        Assert.Contains("call i32 @Body(", cpu, StringComparison.Ordinal); // the dispatch's in-order call, as the IR says
    }
}
