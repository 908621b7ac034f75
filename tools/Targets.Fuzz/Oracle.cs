using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Targets.Fuzz;

/// <summary>What one run left behind: the result or exception, and every array the run could write.</summary>
internal sealed record Outcome(long? Value, Type? Exception, string? Message, long[] Longs, double[] Doubles, int[] Ints, double[] Reals)
{
    /// <summary>
    /// How <paramref name="actual"/> differs from this (.NET's) outcome, or null. Integers compare
    /// exactly; floating-point values bit for bit, except that any NaN equals any NaN: neither
    /// IEEE 754 nor .NET says which NaN an invalid operation returns (x86 gives the negative default
    /// NaN, LLVM's constant folder the positive one), and no generated program can observe the
    /// difference other than through the bits themselves. Exceptions compare by type and message.
    /// </summary>
    public string? Difference(Outcome actual)
    {
        if (Exception != actual.Exception)
            return $"exception: .NET {Describe()}, compiled {actual.Describe()}";
        if (Message != actual.Message)
            return $"exception message: .NET \"{Message}\", compiled \"{actual.Message}\"";
        if (Value != actual.Value)
            return $"result: .NET {Value}, compiled {actual.Value}";
        return First("outL", Longs, actual.Longs, (a, b) => a == b)
            ?? First("outD", Doubles, actual.Doubles, SameDouble)
            ?? First("ai", Ints, actual.Ints, (a, b) => a == b)
            ?? First("ad", Reals, actual.Reals, SameDouble);
    }

    string Describe() => Exception is null ? $"returned {Value}" : $"threw {Exception.Name}(\"{Message}\")";

    static bool SameDouble(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    static string? First<T>(string name, T[] expected, T[] actual, Func<T, T, bool> same)
    {
        for (int n = 0; n < expected.Length; n++)
        {
            if (!same(expected[n], actual[n]))
                return $"{name}[{n}]: .NET {Show(expected[n])}, compiled {Show(actual[n])}";
        }
        return null;
    }

    static string Show<T>(T value) => value is double d ? $"{d:R} (0x{BitConverter.DoubleToInt64Bits(d):x16})" : $"{value}";
}

/// <summary>One disagreement: which target, on which input, of what kind (for the reducer to keep), and the detail.</summary>
internal sealed record Mismatch(string Target, int Input, string Kind, string Detail);

/// <summary>A compiler crash: what came out of <c>Compile</c> that is not a refusal (any exception but a <see cref="CompilationException"/>, or one of kind Internal).</summary>
internal sealed record Crash(string Target, string Kind, string Detail);

/// <summary>
/// Everything one program showed. <see cref="GeneratorError"/>: Roslyn rejected it (a generator
/// bug, never the compiler's). <see cref="Rejections"/>: a target refused it (construct per target).
/// <see cref="Crashes"/>: a target's compiler failed on it.
/// </summary>
internal sealed record Verdict(string? GeneratorError, List<(string Target, string Construct, string Message)> Rejections, List<Mismatch> Mismatches, int Runs)
{
    /// <summary>How .NET's runs ended: "returned" or the exception's type name, per compiled run compared.</summary>
    public Dictionary<string, int> Endings { get; } = [];

    /// <summary>What targets refused by design (the cuda simulator: allocation, mutable jit classes), one construct per refusal: not a failure.</summary>
    public List<string> NotApplicable { get; init; } = [];

    public List<Crash> Crashes { get; init; } = [];

    /// <summary>Racy programs the parallel target refused, as it must.</summary>
    public int RacesRefused { get; init; }

    public bool Failed => GeneratorError is not null || Rejections.Count > 0 || Mismatches.Count > 0 || Crashes.Count > 0;
}

/// <summary>
/// Builds a program with Roslyn into a collectible load context, runs its entry on .NET and on each
/// target for every input, and compares: results, exceptions (type and message), every output and
/// input array, and NRT's statistics (a compiled run must free everything it allocated).
/// </summary>
internal static class Oracle
{
    /// <summary>The host targets, by name.</summary>
    public static readonly IReadOnlyDictionary<string, Func<ITarget>> Targets = new Dictionary<string, Func<ITarget>>
    {
        ["cpu"] = () => new Cpu.CpuTarget(),
        ["parallel"] = () => new Parallel.ParallelTarget(),
        // The cuda target's code shape on the CPU: programs that allocate or mutate jit classes are refused there by design.
        ["cuda-simulator"] = () => Cuda.CudaTarget.Simulator(),
    };

    /// <summary>
    /// Faults the fuzzer's own tests inject, from <c>TARGETS_FUZZ_INJECT</c> (<c>crash:SEED</c> ends the
    /// process where that seed's program would be compiled, as a native crash in the compiler would, <c>throw:SEED</c> makes every compile of that seed's program
    /// throw as a compiler bug would; several separated by commas): the batch and crash handling are
    /// tested against faults that a fixed compiler no longer has.
    /// </summary>
    public static (HashSet<int> Crash, HashSet<int> Throw) Injected { get; } = ParseInjected(Environment.GetEnvironmentVariable("TARGETS_FUZZ_INJECT"));

    static (HashSet<int>, HashSet<int>) ParseInjected(string? text)
    {
        var crash = new HashSet<int>();
        var throws = new HashSet<int>();
        foreach (string fault in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = fault.Split(':');
            if (parts.Length == 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out int seed))
                (parts[0] == "crash" ? crash : throws).Add(seed);
        }
        return (crash, throws);
    }

    public static Verdict Check(ProgramModel program, IReadOnlyList<string> targets, int? onlyInput = null) =>
        Check(program.Render(), program.Seed, program.Inputs, targets, onlyInput);

    /// <summary>
    /// Checks a program given as C#, with the seed it came from (Debug IL for every fourth) and its
    /// inputs: what a replay in a child process has. Where it races (<paramref name="expectsRace"/>;
    /// by default, where a <see cref="Generator.RacyWrite"/> is reachable) the parallel target must
    /// refuse it with a race, and accepting it is a mismatch.
    /// </summary>
    public static Verdict Check(string source, int seed, List<object?[]> inputs, IReadOnlyList<string> targets, int? onlyInput = null, bool? expectsRace = null)
    {
        (Assembly? assembly, string? errors, AssemblyLoadContext? context) = Build(source, seed % 4 == 0);
        if (assembly is null)
            return new Verdict(errors, [], [], 0);
        try
        {
            MethodInfo entry = assembly.GetType($"{ProgramModel.Namespace}.{ProgramModel.Holder}")!.GetMethod("Run")!;
            var rejections = new List<(string, string, string)>();
            var mismatches = new List<Mismatch>();
            var endings = new Dictionary<string, int>();
            int runs = 0;
            var notApplicable = new List<string>();
            var crashes = new List<Crash>();
            int racesRefused = 0;
            // Roslyn's flow analysis and its emitter disagree both ways: it emits the body of
            // `if (x && (v ? false : false))`, which the analysis calls unreachable (a racy write there may
            // be refused or not: either is right), and drops the body of `if (x & false)`, which the analysis
            // calls reachable (seed 510530: no race is left to refuse, so none is expected when the IL has no
            // `i >> 1` — ldc.i4.1, shr).
            bool races = expectsRace ?? (targets.Contains("parallel") && RaceIsReachable(source) && ShiftsByOne(entry));
            bool mayRace = races || (expectsRace is null && targets.Contains("parallel") && Generator.RacyWrite.IsMatch(source));
            foreach (string name in targets)
            {
                ITarget target = Targets[name]();
                CompiledFunction compiled;
                try
                {
                    if (Injected.Crash.Contains(seed))
                        Environment.FailFast($"targets-fuzz: crash injected at seed {seed} (TARGETS_FUZZ_INJECT)");
                    if (Injected.Throw.Contains(seed))
                        throw new InvalidOperationException($"a compiler crash injected at seed {seed} (TARGETS_FUZZ_INJECT)");
                    compiled = target.Compile(entry);
                }
                catch (CompilationException e) when (mayRace && target is Parallel.ParallelTarget && e.Kind == CompilationErrorKind.Race)
                {
                    racesRefused++;
                    continue;
                }
                catch (InternalCompilerErrorException e)
                {
                    crashes.Add(new Crash(name, $"internal error in {e.Stage}", e.ToString()));
                    continue;
                }
                catch (CompilationException e) when (target is Cuda.CudaTarget && Cuda.CudaTarget.IsRefusedByDesign(e))
                {
                    notApplicable.Add(e.Construct);
                    continue;
                }
                catch (CompilationException e)
                {
                    rejections.Add((name, e.Construct, e.Message));
                    continue;
                }
#pragma warning disable CA1031 // anything else out of Compile is a compiler crash: a finding, and the run goes on
                catch (Exception e)
#pragma warning restore CA1031
                {
                    crashes.Add(new Crash(name, e.GetType().Name, e.ToString()));
                    continue;
                }
                if (races && target is Parallel.ParallelTarget)
                {
                    mismatches.Add(new Mismatch(name, 0, "race accepted", "the parallel target compiled a Prange loop that races (an output written at [i >> 1])"));
                    continue;
                }
                for (int n = 0; n < inputs.Count; n++)
                {
                    if (onlyInput is int only && only != n)
                        continue;
                    Outcome expected = Run(args => entry.Invoke(null, args), inputs[n]);
                    NrtStats before = Nrt.GetAllocationStats();
                    Outcome actual = Run(compiled.Invoke, inputs[n]);
                    Nrt.CollectCycles(); // the cycles the program dropped, as .NET's GC frees them
                    NrtStats leaked = Nrt.GetAllocationStats().Since(before);
                    runs++;
                    string ending = expected.Exception?.Name ?? "returned";
                    endings[ending] = endings.GetValueOrDefault(ending) + 1;
                    if (expected.Difference(actual) is { } difference)
                        mismatches.Add(new Mismatch(name, n, difference.Split(':')[0], difference));
                    else if (!leaked.IsBalanced)
                        mismatches.Add(new Mismatch(name, n, "leak", $"NRT leak: {leaked}"));
                }
                (target as IDisposable)?.Dispose();
            }
            var verdict = new Verdict(null, rejections, mismatches, runs) { NotApplicable = notApplicable, Crashes = crashes, RacesRefused = racesRefused };
            foreach ((string ending, int n) in endings)
                verdict.Endings[ending] = n;
            return verdict;
        }
        finally
        {
            context?.Unload();
        }
    }

    /// <summary>Runs the entry on fresh copies of the input's arrays.</summary>
    static Outcome Run(Func<object?[], object?> call, object?[] input)
    {
        object?[] args = input.Select(a => a is Array array ? array.Clone() : a).ToArray();
        long? value = null;
        Exception? thrown = null;
        try
        {
            value = (long?)call(args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            thrown = e.InnerException;
        }
#pragma warning disable CA1031 // whatever the compiled code threw is part of its outcome
        catch (Exception e)
#pragma warning restore CA1031
        {
            thrown = e;
        }
        return new Outcome(value, thrown?.GetType(), thrown?.Message, (long[])args[7]!, (double[])args[8]!, (int[])args[5]!, (double[])args[6]!);
    }

    /// <summary>Roslyn, in memory: the assembly in a collectible context (its PDB registered for file:line), or the errors.</summary>
    public static (Assembly?, string?, AssemblyLoadContext?) Build(string source, bool debug)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(SourceText.From(source, Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Latest), path: "Fuzzed.cs");
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: debug ? OptimizationLevel.Debug : OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable, deterministic: true);
        CSharpCompilation compilation = CSharpCompilation.Create($"Fuzzed{Guid.NewGuid():N}", [tree], References.Value, options);
        using var dll = new MemoryStream();
        using var pdb = new MemoryStream();
        EmitResult result = compilation.Emit(dll, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
            return (null, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)), null);
        dll.Position = 0;
        pdb.Position = 0;
        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        Assembly assembly = context.LoadFromStream(dll, pdb);
        Symbols.Register(assembly, pdb.ToArray());
        return (assembly, null, context);
    }

    /// <summary>Whether <paramref name="method"/>'s IL shifts right by the constant 1 (<c>ldc.i4.1; shr</c>), as a racy write does.</summary>
    static bool ShiftsByOne(MethodInfo method)
    {
        byte[] il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        for (int n = 0; n + 1 < il.Length; n++)
        {
            if (il[n] == 0x17 && il[n + 1] == 0x63)
                return true;
        }
        return false;
    }

    /// <summary>Whether a <see cref="Generator.RacyWrite"/> in <paramref name="source"/> can run: C# drops unreachable code (after a tail that never returns), and with it the race.</summary>
    public static bool RaceIsReachable(string source)
    {
        if (!Generator.RacyWrite.IsMatch(source))
            return false;
        SyntaxTree tree = CSharpSyntaxTree.ParseText(SourceText.From(source, Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Latest));
        SemanticModel model = CSharpCompilation.Create("RaceProbe", [tree], References.Value).GetSemanticModel(tree);
        return tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax>()
            .Where(s => Generator.RacyWrite.IsMatch(s.ToString()))
            .Any(s => model.AnalyzeControlFlow(s) is { Succeeded: true, StartPointIsReachable: true });
    }

    static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p) is var file && (file.StartsWith("System.", StringComparison.Ordinal) || file is "netstandard.dll" or "mscorlib.dll"))
            .Append(typeof(JitClassAttribute).Assembly.Location)
            .Append(typeof(Prange).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());
}
