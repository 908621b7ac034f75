
namespace Targets.Cpu.Tests;

/// <summary>The shared differential corpus on the cpu target, plus what only cpu has: callees compiled on first call.</summary>
public sealed class CpuDifferentialTests : DifferentialSuite
{
    static readonly CpuTarget Cpu = new();

    protected override ITarget Target => Cpu;

    /// <summary>
    /// With every callee compiled separately when first called (through a patched slot), the same
    /// results: the calling convention, reference counts and exceptions hold across modules.
    /// </summary>
    [Theory]
    [MemberData(nameof(CorpusMethods), MemberType = typeof(DifferentialSuite))]
    public void Lazily_compiled_callees_agree_with_dotnet(CorpusConfig config, string method) =>
        AgreesThroughInvoke(config, method, new CompileOptions { LazyCallees = true }, "Invoke, LazyCallees");

    /// <summary>Options of their own, so the code is not already shared in this process by the other theories.</summary>
    static readonly CompileOptions CachedOptions = new() { RefcountPruning = RefcountPruning.All & ~RefcountPruning.BorrowedCursors };

    /// <summary>
    /// Native code loaded from the on-disk cache (by the project's own loader, without the frontend)
    /// gives .NET's results: each method is compiled and kept, released, and compiled again by another
    /// target, which loads it — and the test checks it was loaded, not compiled.
    /// </summary>
    [Theory]
    [MemberData(nameof(CorpusMethods), MemberType = typeof(DifferentialSuite))]
    public void Code_loaded_from_the_disk_cache_agrees_with_dotnet(CorpusConfig config, string method) =>
        AgreesThroughInvoke(config, method, m =>
        {
            using (var first = new CpuTarget())
                first.Compile(m, CachedOptions).Dispose();
            CompiledFunction loaded = new CpuTarget().Compile(m, CachedOptions);
            Assert.Contains(loaded.Timings.Phases, p => p.Phase == "cache: load object");
            return loaded;
        }, "Invoke, from the disk cache");
}
