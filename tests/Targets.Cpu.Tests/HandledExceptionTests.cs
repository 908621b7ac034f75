using System.Collections.Generic;
using Targets.Testing;

namespace Targets.Cpu.Tests;

/// <summary>Code for <see cref="HandledExceptionTests"/>: the same C# runs on .NET and compiled.</summary>
public static class CatchingCode
{
    /// <summary>Lists built and dropped around exceptions raised midway, caught in the loop.</summary>
    public static int ListsAcrossRaises(int rounds)
    {
        int total = 0;
        for (int r = 0; r < rounds; r++)
        {
            ListNode? head = null;
            try
            {
                for (int i = 0; i < 10; i++)
                {
                    head = new ListNode(i, head);
                    if (i == r % 12)
                        throw new InvalidOperationException("midway");
                }
            }
            catch (InvalidOperationException)
            {
                total += 1000;
            }
            finally
            {
                for (ListNode? p = head; p != null; p = p.Next)
                    total += p.Value;
            }
        }
        return total;
    }

    /// <summary>A catch of everything around a callee that cannot compile.</summary>
    public static int CatchAll(int n)
    {
        try { return n > 100 ? Unsupported(n) : n; }
        catch (Exception) { return -1; }
    }

    static int Unsupported(int n) => new System.Text.StringBuilder().Append(n).Length;
}

/// <summary>
/// Handled exceptions where a corpus entry cannot show it: NRT in debug mode (freed memory filled,
/// every decrement checked) over instances dropped on raising paths; a callee that could not be
/// compiled is never caught, even by <c>catch (Exception)</c>. (A Prange loop in a try: the parallel
/// target's PrangeTests.) NRT balanced after each test.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class HandledExceptionTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Instances_dropped_on_raising_paths_are_counted_right_in_debug_mode()
    {
        CompiledFunction f = Cpu.Compile(CatchingCode.ListsAcrossRaises, new CompileOptions { NrtDebug = true });
        Assert.Equal(CatchingCode.ListsAcrossRaises(30), InDebugMode(() => f.Invoke(30)));
    }

    [Fact]
    public void A_callee_that_cannot_compile_is_never_caught()
    {
        CompiledFunction f = Cpu.Compile(CatchingCode.CatchAll, new CompileOptions { LazyCallees = true });
        Assert.Equal(7, f.Invoke(7));
        Assert.Throws<UnresolvedSymbolException>(() => f.Invoke(500));
    }
}
