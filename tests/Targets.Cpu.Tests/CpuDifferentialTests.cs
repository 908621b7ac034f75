
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
}
