using System.Reflection;
using System.Text;
using Targets.Cpu.Tests.Harness;

namespace Targets.Cpu.Tests;

/// <summary>
/// Every corpus method, compiled by Roslyn in Debug and in Release, runs through .NET (the oracle)
/// and through the cpu target on the same inputs; results, exceptions and array arguments must agree.
/// </summary>
public sealed class DifferentialTests
{
    static readonly CpuTarget Cpu = new();

    public static TheoryData<CorpusConfig, string> CorpusMethods()
    {
        var data = new TheoryData<CorpusConfig, string>();
        foreach (CorpusConfig config in Enum.GetValues<CorpusConfig>())
            foreach (MethodInfo m in CorpusCatalog.Entries(CorpusBuild.Corpus(config)))
                data.Add(config, CorpusCatalog.Key(m));
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusMethods))]
    public void Compiled_method_agrees_with_dotnet(CorpusConfig config, string method)
    {
        MethodInfo m = CorpusCatalog.Find(CorpusBuild.Corpus(config), method);
        CompiledFunction f;
        try
        {
            f = Cpu.Compile(m);
        }
        catch (CompilationException e)
        {
            Assert.Fail($"{method} [{config}] is in the supported subset but does not compile: {e.Message}");
            return;
        }

        var cases = Inputs.For(m.GetParameters().Select(p => p.ParameterType).ToArray(), method);
        var report = new StringBuilder();
        int mismatches = 0;
        foreach (object?[] args in cases)
        {
            Outcome expected = Outcome.Of(a => m.Invoke(null, a), Inputs.Clone(args), unwrapReflection: true);
            Outcome actual = Outcome.Of(f.Invoke, Inputs.Clone(args), unwrapReflection: false);
            string? difference = Outcome.Difference(expected, actual);
            if (difference is null)
                continue;
            if (mismatches++ < 8)
            {
                report.AppendLine($"  {method} [{config}] inputs {Format.Tuple(args)}: {difference}");
                report.AppendLine($"    expected (.NET): {expected.Describe()}");
                report.AppendLine($"    actual (cpu):    {actual.Describe()}");
            }
        }
        Assert.True(mismatches == 0,
            $"{method} [{config}]: {mismatches} of {cases.Count} cases differ from .NET\n{report}");
    }
}
