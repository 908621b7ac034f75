namespace Targets.Cpu.Tests;

/// <summary>
/// Debug checks are chosen at compile time: code compiled without debug mode inlines its reference
/// counts with no debug branch; code compiled with <see cref="CompileOptions.NrtDebug"/> (or while
/// debug mode is on) calls the runtime's checked increfs and decrefs. A compiled function keeps its mode.
/// </summary>
public sealed class CheckedRefcountTests : NrtLeakCheck
{
    public static int Wrap(ListNode tail)
    {
        var head = new ListNode(1, tail);
        return head.Next!.Value + head.Value;
    }

    internal static void Link(ListNode node, ListNode? next) => node.Next = next;

    internal static void LinkWide(Fan node, Fan? next) => node.A = next;

    static int RuntimeCalls(string llvm) =>
        llvm.Split('\n').Count(l => l.Contains("call void @nrt_incref(", StringComparison.Ordinal) || l.Contains("call void @nrt_decref(", StringComparison.Ordinal));

    [Fact]
    public void Unchecked_code_has_no_debug_branch_and_checked_code_calls_the_runtime()
    {
        using var cpu = new CpuTarget();
        string plain = cpu.Compile(Wrap).Inspect(Stage.OptimizedLlvm);
        Assert.Equal(0, RuntimeCalls(plain));
        Assert.Contains("atomicrmw", plain, StringComparison.Ordinal);
        // A store into a field: an incref and a decref that may destroy, inline.
        string link = cpu.Compile((Action<ListNode, ListNode?>)Link).Inspect(Stage.OptimizedLlvm);
        Assert.Equal(0, RuntimeCalls(link));
        Assert.Contains("atomicrmw", link, StringComparison.Ordinal);
        Assert.Contains("@nrt_meminfo_call_dtor", link, StringComparison.Ordinal);
        // The refops read no flags: only an inline free does (debug mode on at run time sends it to the
        // runtime, which poisons), and a class with five reference fields is freed by the runtime.
        string wide = cpu.Compile((Action<Fan, Fan?>)LinkWide).Inspect(Stage.OptimizedLlvm);
        Assert.Equal(0, RuntimeCalls(wide));
        Assert.Contains("atomicrmw", wide, StringComparison.Ordinal);
        Assert.DoesNotContain("@nrt_state", wide, StringComparison.Ordinal);

        bool before = Nrt.DebugMode;
        try
        {
            CompiledFunction checkedCode = cpu.Compile(Wrap, new CompileOptions { NrtDebug = true });
            Assert.True(RuntimeCalls(checkedCode.Inspect(Stage.OptimizedLlvm)) > 0);
            // Compiling while debug mode is on gives the checked variant too, cached apart from the plain one.
            Assert.Same(checkedCode, cpu.Compile(Wrap));
            using JitObject tail = cpu.New(JitClass.Define<ListNode>(), 41, null);
            Assert.Equal(42, checkedCode.Invoke(tail));
        }
        finally
        {
            Nrt.DebugMode = before;
        }
        Assert.Equal(0, RuntimeCalls(cpu.Compile(Wrap).Inspect(Stage.OptimizedLlvm)));
        Assert.Equal((0L, (nint)0), Nrt.TakeErrors());
    }
}

/// <summary>A jit class with more reference fields than compiled code frees inline.</summary>
[JitClass]
public sealed class Fan
{
#pragma warning disable CA1051 // jit classes are made of public fields
    public Fan? A, B, C, D, E;
#pragma warning restore CA1051
}
