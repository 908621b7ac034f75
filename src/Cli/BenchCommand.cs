using System.Diagnostics;
using Targets.Llvm;
using Targets.Llvm.Interop;

namespace Targets.Cli;

/// <summary>
/// <c>targets bench</c>. Until the benchmark workloads exist it reports the targets found and
/// a JIT smoke result (a function built, compiled, and called), timed.
/// </summary>
internal static unsafe class BenchCommand
{
    internal static int Run(TextWriter output)
    {
        output.WriteLine("targets found:");
        DevicesCommand.Run(output);
        output.WriteLine();

        var clock = Stopwatch.StartNew();
        using JitEngine jit = JitEngine.Create();
        using LlvmContext context = LlvmContext.CreateThreadSafe();
        LlvmModule module = context.ParseIr("""
            define i64 @sum_to(i64 %n) {
            entry:
              br label %loop
            loop:
              %i = phi i64 [ 0, %entry ], [ %next, %loop ]
              %acc = phi i64 [ 0, %entry ], [ %acc.next, %loop ]
              %acc.next = add i64 %acc, %i
              %next = add i64 %i, 1
              %done = icmp sge i64 %next, %n
              br i1 %done, label %exit, label %loop
            exit:
              ret i64 %acc.next
            }
            """);
        jit.Optimizer.Configure(module);
        jit.Optimizer.Optimize(module);
        jit.Add(module);
        var sumTo = (delegate* unmanaged<long, long>)jit.Lookup("sum_to");
        double compileMs = clock.Elapsed.TotalMilliseconds;
        long result = sumTo(100_000);
        bool ok = result == 100_000L * 99_999 / 2;
        output.WriteLine($"cpu JIT smoke: sum_to(100000) = {result} ({(ok ? "correct" : "WRONG")}), " +
                         $"LLVM init + compile {compileMs:F1} ms");
        output.WriteLine("benchmark workloads: none yet (they arrive with the frontend and cpu target).");
        return ok ? 0 : 1;
    }
}
