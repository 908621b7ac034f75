using System.Collections.Concurrent;
using System.Reflection;

namespace Targets.Cpu.Tests;

/// <summary>
/// One CpuTarget is shared by all callers ("thread-safe; share one static instance"): compiling from
/// several threads at once — including methods that share helpers and mutually recursive cycles —
/// must work and give .NET's results. Runs in a child process: a race in native code can abort the
/// process, and that must fail this test, not end the test run.
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public void Concurrent_compilation_on_one_target_agrees_with_dotnet()
    {
        var result = ChildProcess.Run(typeof(ConcurrencyProbe), nameof(ConcurrencyProbe.Run), TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"child process exited with {result.ExitCode}:\n{result.Output}");
        Assert.Contains("compiled and compared", result.Output, StringComparison.Ordinal);
    }
}

/// <summary>The body of <see cref="ConcurrencyTests"/>, run in the child process.</summary>
public static class ConcurrencyProbe
{
    public static int Run()
    {
        var target = new CpuTarget(); // fresh: nothing compiled yet, so the threads race on every helper
        Assembly corpus = CorpusBuild.Corpus(CorpusConfig.Release);
        var methods = CorpusCatalog.Entries(corpus)
            .Where(m => m.DeclaringType!.Name is "Calls" or "Kernels" or "Evaluation" or "Exceptions" or "Arrays")
            .Where(m => m.Name is not ("ParamsArray" or "ConstantTableInitializer"))
            .ToList();
        var work = methods.Concat(methods).ToList(); // each method compiled by two threads at once
        var problems = new ConcurrentBag<string>();
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = 4 }, m =>
        {
            string key = CorpusCatalog.Key(m);
            CompiledFunction f;
            try
            {
                f = target.Compile(m);
            }
#pragma warning disable CA1031 // every failure is collected and reported
            catch (Exception e)
#pragma warning restore CA1031
            {
                problems.Add($"{key}: compile threw {e.GetType().Name}: {e.Message}");
                return;
            }
            foreach (object?[] args in Inputs.For(m.GetParameters().Select(p => p.ParameterType).ToArray(), key).Take(6))
            {
                Outcome expected = Outcome.Of(a => m.Invoke(null, a), Inputs.Clone(args), unwrapReflection: true);
                Outcome actual = Outcome.Of(f.Invoke, Inputs.Clone(args), unwrapReflection: false);
                if (Outcome.Difference(expected, actual) is string d)
                    problems.Add($"{key} {Format.Tuple(args)}: {d}: expected {expected.Describe()}, actual {actual.Describe()}");
            }
        });
        foreach (string p in problems.Take(20))
            Console.WriteLine(p);
        Console.WriteLine($"{methods.Count} methods compiled and compared from 4 threads; {problems.Count} problems");
        return problems.IsEmpty && methods.Count > 50 ? 0 : 1;
    }
}
