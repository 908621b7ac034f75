using System.Reflection;
using Xunit.Abstractions;

namespace Targets.Cpu.Tests;

/// <summary>Keeps the corpus honest: its size, which methods are left out of the differential theory, and why.</summary>
public sealed class CorpusCatalogTests(ITestOutputHelper output)
{
    static Assembly Corpus => CorpusBuild.Corpus(CorpusConfig.Release);

    [Fact]
    public void Corpus_has_at_least_160_entry_methods()
    {
        var entries = CorpusCatalog.Entries(Corpus).ToList();
        foreach (var family in entries.GroupBy(m => m.DeclaringType!.Name))
            output.WriteLine($"{family.Key}: {family.Count()} entry methods");
        Assert.True(entries.Count >= 160, $"only {entries.Count} entry methods");
    }

    [Fact]
    public void Debug_and_release_builds_hold_the_same_methods()
    {
        var debug = CorpusCatalog.AllMethods(CorpusBuild.Corpus(CorpusConfig.Debug)).Select(CorpusCatalog.Key);
        var release = CorpusCatalog.AllMethods(CorpusBuild.Corpus(CorpusConfig.Release)).Select(CorpusCatalog.Key);
        Assert.Equal(debug, release);
    }

    [Fact]
    public void Corpus_method_names_are_unique_within_their_class()
    {
        var duplicates = CorpusCatalog.AllMethods(Corpus).GroupBy(CorpusCatalog.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "overloaded corpus methods (the theory names methods by Class.Method): " + string.Join(", ", duplicates));
    }

    [Fact]
    public void Methods_taking_ref_or_out_are_helpers_and_helpers_are_listed()
    {
        var helpers = CorpusCatalog.AllMethods(Corpus).Where(CorpusCatalog.IsHelper).ToList();
        foreach (var h in helpers)
            output.WriteLine($"helper, excluded from the differential theory: {CorpusCatalog.Key(h)}");
        var refEntries = CorpusCatalog.Entries(Corpus)
            .Where(m => m.GetParameters().Any(p => p.ParameterType.IsByRef))
            .Select(CorpusCatalog.Key).ToList();
        Assert.True(refEntries.Count == 0, "entry methods may take only scalars and arrays: " + string.Join(", ", refEntries));
        Assert.NotEmpty(helpers);
    }

    [Fact]
    public void Entry_methods_take_only_types_the_harness_can_generate()
    {
        var bad = new List<string>();
        foreach (var m in CorpusCatalog.Entries(Corpus))
        {
            foreach (var p in m.GetParameters())
            {
                try
                {
                    Assert.NotEmpty(Inputs.Edges(p.ParameterType, new Random(1)));
                }
                catch (NotSupportedException)
                {
                    bad.Add($"{CorpusCatalog.Key(m)}({p.ParameterType.Name} {p.Name})");
                }
            }
        }
        Assert.True(bad.Count == 0, "parameters the harness cannot feed: " + string.Join(", ", bad));
    }

    [Fact]
    public void Inputs_are_deterministic_and_capped()
    {
        Type[] types = [typeof(double), typeof(int[]), typeof(long)];
        var first = Inputs.For(types, "Some.Method");
        var second = Inputs.For(types, "Some.Method");
        Assert.Equal(first.Select(Format.Tuple), second.Select(Format.Tuple));
        Assert.InRange(first.Count, 60, Inputs.MaxCases);
        Assert.Contains(first, t => t[0] is double d && double.IsNaN(d));
        Assert.Contains(first, t => t[1] is int[] { Length: 0 });
    }

    [Fact]
    public void Critical_integer_pairs_always_meet()
    {
        var cases = Inputs.For([typeof(int), typeof(int)], "Any.Division");
        Assert.Contains(cases, t => (int)t[0]! == int.MinValue && (int)t[1]! == -1);
        Assert.Contains(cases, t => (int)t[0]! == int.MaxValue && (int)t[1]! == 0);
        var longs = Inputs.For([typeof(long), typeof(long), typeof(long)], "Any.Three");
        Assert.Contains(longs, t => (long)t[1]! == long.MinValue && (long)t[2]! == -1);
        var doubles = Inputs.For([typeof(double), typeof(double)], "Any.Doubles");
        Assert.Contains(doubles, t => t[0] is double a && double.IsNegative(a) && a == 0 && t[1] is double b && b == 0 && !double.IsNegative(b));
        Assert.Contains(doubles, t => t[0] is double a && double.IsNaN(a) && t[1] is double b && double.IsPositiveInfinity(b));
    }
}
