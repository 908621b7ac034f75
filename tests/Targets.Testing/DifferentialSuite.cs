using System.Linq.Expressions;
using System.Reflection;
using System.Text;

namespace Targets.Testing;

/// <summary>
/// The differential corpus, for any target: every corpus method, compiled by Roslyn in Debug and in
/// Release, runs through .NET (the oracle) and through <see cref="Target"/> on the same inputs;
/// results, exceptions and array arguments must agree, and NRT must balance. A target's test
/// project runs all of it by deriving one small class that names the target; theories it adds for
/// options only it has call <c>AgreesThroughInvoke</c>.
/// </summary>
public abstract class DifferentialSuite : NrtLeakCheck
{
    /// <summary>The target under test; one instance for the whole suite is best (it caches).</summary>
    protected abstract ITarget Target { get; }

    /// <summary>The typed fast path is checked on the first cases only: the slow path covers them all.</summary>
    const int DelegateCases = 16;

    public static TheoryData<CorpusConfig, string> CorpusMethods()
    {
        var data = new TheoryData<CorpusConfig, string>();
        foreach (CorpusConfig config in Enum.GetValues<CorpusConfig>())
            foreach (MethodInfo m in CorpusCatalog.Entries(CorpusBuild.Corpus(config)))
                data.Add(config, CorpusCatalog.Key(m));
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusMethods), MemberType = typeof(DifferentialSuite))]
    public void Compiled_method_agrees_with_dotnet(CorpusConfig config, string method) =>
        AgreesThroughInvoke(config, method, CompileOptions.Default, "Invoke");

    /// <summary>
    /// LLVM's O0 keeps what O3 may fold away (and vice versa: undefined behaviour shows differently),
    /// so the unoptimised code must agree too.
    /// </summary>
    [Theory]
    [MemberData(nameof(CorpusMethods), MemberType = typeof(DifferentialSuite))]
    public void Unoptimized_native_code_agrees_with_dotnet(CorpusConfig config, string method) =>
        AgreesThroughInvoke(config, method, new CompileOptions { Optimize = false }, "Invoke, Optimize = false");

    /// <summary>Compiles <paramref name="method"/> with <paramref name="options"/> and compares every input case through <c>Invoke</c>.</summary>
    protected void AgreesThroughInvoke(CorpusConfig config, string method, CompileOptions options, string how) =>
        AgreesThroughInvoke(config, method, m => CompileOrFail(m, method, config, options), how);

    /// <summary>Compares every input case through <c>Invoke</c> on the function <paramref name="compile"/> gives (null: refused as documented).</summary>
    protected void AgreesThroughInvoke(CorpusConfig config, string method, Func<MethodInfo, CompiledFunction?> compile, string how)
    {
        MethodInfo m = CorpusCatalog.Find(CorpusBuild.Corpus(config), method);
        if (compile(m) is not { } f)
            return; // outside this target's subset, and refused as the target documents (see Refusal)
        var cases = Inputs.For(m.GetParameters().Select(p => p.ParameterType).ToArray(), method);
        AssertAgrees(m, method, config, how, cases, args => Outcome.Of(f.Invoke, args, unwrapReflection: false));
    }

    [Theory]
    [MemberData(nameof(CorpusMethods), MemberType = typeof(DifferentialSuite))]
    public void Typed_delegate_agrees_with_dotnet(CorpusConfig config, string method)
    {
        MethodInfo m = CorpusCatalog.Find(CorpusBuild.Corpus(config), method);
        if (CompileOrFail(m, method, config) is not { } f)
            return; // outside this target's subset, and refused as the target documents (see Refusal)
        Type delegateType = Expression.GetDelegateType([.. m.GetParameters().Select(p => p.ParameterType), m.ReturnType]);
        Delegate typed;
        try
        {
            typed = (Delegate)typeof(CompiledFunction).GetMethod(nameof(CompiledFunction.AsDelegate))!
                .MakeGenericMethod(delegateType).Invoke(f, null)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            Assert.Fail($"{method} [{config}]: AsDelegate<{delegateType}>() threw {e.InnerException}");
            return;
        }
        var cases = Inputs.For(m.GetParameters().Select(p => p.ParameterType).ToArray(), method).Take(DelegateCases).ToList();
        // DynamicInvoke wraps what the delegate throws in TargetInvocationException, as MethodInfo.Invoke does.
        AssertAgrees(m, method, config, $"AsDelegate<{delegateType.Name}>", cases,
            args => Outcome.Of(typed.DynamicInvoke, args, unwrapReflection: true));
    }

    /// <summary>
    /// Native code that loops forever must fail this test, not hang the run: the call runs on a pool
    /// thread, abandoned (still running) past the limit.
    /// </summary>
    static Outcome WithTimeout(Func<object?[], Outcome> compiled, object?[] args)
    {
        var call = Task.Run(() => compiled(args));
        if (!call.Wait(TimeSpan.FromSeconds(30)))
            return new Outcome(null, new TimeoutException("the compiled call did not return within 30 s"), args);
        return call.Result;
    }

    /// <summary>
    /// For a target whose subset is smaller than the corpus (cuda: no allocation on the device): the
    /// documented refusal <paramref name="e"/> is, or null when the method should have compiled.
    /// A method refused that way passes its theory only because the refusal was checked here; a
    /// target's tests also count how much of the corpus it runs.
    /// </summary>
    protected virtual string? Refusal(MethodInfo method, CompilationException e) => null;

    /// <summary>The compiled method, or null when the target refused it as documented (<see cref="Refusal"/>).</summary>
    CompiledFunction? CompileOrFail(MethodInfo m, string method, CorpusConfig config, CompileOptions? options = null)
    {
        try
        {
            return Target.Compile(m, options);
        }
        catch (CompilationException e) when (Refusal(m, e) is not null)
        {
            return null;
        }
        catch (CompilationException e)
        {
            Assert.Fail($"{method} [{config}] is in the supported subset but does not compile: {e.Message}");
            throw;
        }
    }

    void AssertAgrees(MethodInfo m, string method, CorpusConfig config, string path, List<object?[]> cases,
        Func<object?[], Outcome> compiled)
    {
        var report = new StringBuilder();
        int mismatches = 0;
        foreach (object?[] args in cases)
        {
            Outcome expected = Outcome.Of(a => m.Invoke(null, a), Inputs.Clone(args), unwrapReflection: true);
            Outcome actual = WithTimeout(compiled, Inputs.Clone(args));
            string? difference = Outcome.Difference(expected, actual);
            if (difference is null)
                continue;
            if (mismatches++ < 8)
            {
                report.AppendLine($"  {method} [{config}, {path}] inputs {Format.Tuple(args)}: {difference}");
                report.AppendLine($"    expected (.NET): {expected.Describe()}");
                report.AppendLine($"    actual ({Target.Name}):{new string(' ', Math.Max(1, 5 - Target.Name.Length))}{actual.Describe()}");
            }
        }
        Assert.True(mismatches == 0,
            $"{method} [{config}, {path}]: {mismatches} of {cases.Count} cases differ from .NET\n{report}");
    }
}
