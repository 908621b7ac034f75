using Targets.Fuzz;

namespace Targets.Fuzz.Tests;

/// <summary>The fuzzer's CI budget, and checks that each of its parts can fail: the generator is deterministic, the oracle sees differences, the reducer shrinks.</summary>
public sealed class FuzzTests
{
    /// <summary>Seeds 1 … <see cref="Budget"/> on cpu and parallel: every program agrees with .NET on every input, leaks nothing, and is accepted.</summary>
    public const int Budget = 500;

    [Fact]
    public void The_fixed_budget_agrees_with_dotnet_everywhere()
    {
        Summary summary = FuzzRun.Run(1, Budget, ["cpu", "parallel"], outDirectory: null, reduce: false);
        Assert.True(summary.Clean, summary.Describe());
        Assert.Equal(Budget, summary.Programs);
        // The inputs reach both ends: runs that return and runs that throw, of several kinds.
        Assert.True(summary.Endings.GetValueOrDefault("returned") > summary.Runs / 5, summary.Describe());
        Assert.True(summary.Endings.Count >= 5, summary.Describe());
        Assert.True(summary.RacesRefused > 0, summary.Describe()); // racy Prange loops, refused by the parallel target as they must be
    }

    /// <summary>Issue 44: Prange bodies write flat arrays at affine indices (rows of a constant or a variable width, pairs), and now and then race on purpose.</summary>
    [Fact]
    public void The_generator_writes_affine_and_racy_prange_loops()
    {
        int[] shapes = new int[4];
        for (int seed = 1; seed <= Budget; seed++)
        {
            ProgramModel program = Generator.Generate(seed);
            string text = program.Render();
            shapes[0] += System.Text.RegularExpressions.Regex.IsMatch(text, @"m\d+\[i\d+ \* \d \+ j\d+\]") ? 1 : 0;
            shapes[1] += System.Text.RegularExpressions.Regex.IsMatch(text, @"m\d+\[i\d+ \* w\d+ \+ j\d+\]") ? 1 : 0;
            shapes[2] += text.Contains(" + 1] = -i", StringComparison.Ordinal) ? 1 : 0;
            shapes[3] += Generator.RacyWrite.IsMatch(text) ? 1 : 0;
        }
        Assert.All(shapes, n => Assert.True(n >= 5, string.Join(", ", shapes)));
    }

    /// <summary>The oracle can fail on a race: a program said to race that the parallel target compiles is a mismatch.</summary>
    [Fact]
    public void A_race_the_parallel_target_accepts_is_a_mismatch()
    {
        ProgramModel program = Enumerable.Range(1, 100).Select(seed => Generator.Generate(seed)).First(p => !Generator.RacyWrite.IsMatch(p.Render()) && p.Render().Contains("Prange.Range(", StringComparison.Ordinal));
        Verdict verdict = Oracle.Check(program.Render(), program.Seed, program.Inputs, ["parallel"], expectsRace: true);
        Assert.Equal("race accepted", Assert.Single(verdict.Mismatches).Kind);
        Assert.Equal(0, verdict.RacesRefused);
    }

    /// <summary>A racy write after a tail that never returns is dead code C# does not emit: no race to refuse there.</summary>
    [Fact]
    public void Only_a_reachable_racy_write_is_a_race()
    {
        const string Loop = "int[] r = new int[2]; foreach (int i1 in Prange.Range(2)) { r[i1 >> 1] = i1; }";
        Assert.True(Oracle.RaceIsReachable($"using Targets; static class P {{ static void M() {{ {Loop} }} }}"));
        Assert.False(Oracle.RaceIsReachable($"using Targets; static class P {{ static void M() {{ checked {{ throw new System.Exception(); }} {Loop} }} }}"));
        Assert.False(Oracle.RaceIsReachable("static class P { static void M() { } }"));
    }

    /// <summary>
    /// Seeds 1 … 200 of device programs (no allocation, no jit classes) on the cuda simulator: the
    /// cuda target's code shape (no NRT, libm math, the kernel ABI's error slot) against .NET.
    /// </summary>
    [Fact]
    public void The_cuda_simulator_agrees_with_dotnet_on_what_it_compiles()
    {
        Summary summary = FuzzRun.Run(1, 200, ["cuda-simulator"], outDirectory: null, reduce: false, device: true);
        Assert.True(summary.Clean, summary.Describe());
        Assert.True(summary.NotApplicable <= summary.Programs / 10, summary.Describe()); // device programs are the cuda subset by construction
        Assert.True(summary.Runs >= summary.Programs, summary.Describe());
        Assert.True(summary.Endings.GetValueOrDefault("returned") > 0, summary.Describe());
    }

    /// <summary>
    /// Issue 35: within the CI budget the generator writes generic-math helpers called at several
    /// instantiations, higher-order helpers passed static lambdas, capturing lambdas and method groups,
    /// and local functions, static and capturing (the budget's run above checks them against .NET).
    /// </summary>
    [Fact]
    public void The_generator_writes_generic_math_lambdas_and_local_functions()
    {
        var shapes = new Dictionary<string, System.Text.RegularExpressions.Regex>
        {
            ["generic helper"] = new(@"static T G\d<T>\(T a, T b, double d\) where T : System\.Numerics\.INumber<T>"),
            ["static lambda"] = new(@"F\d\(static v => "),
            ["capturing lambda"] = new(@"F\d\(v => "),
            ["method group"] = new(@"F\d\(Math\.(Abs|Floor), "),
            ["static local function"] = new(@"static (int|double) L\d\((int|double) v\) => "),
            ["capturing local function"] = new(@"(?m)^ +(int|double) L\d\((int|double) v\) => "),
        };
        var seen = shapes.Keys.Append("several instantiations").ToDictionary(k => k, _ => 0);
        for (int seed = 1; seed <= Budget; seed++)
        {
            string text = Generator.Generate(seed).Render();
            foreach ((string shape, System.Text.RegularExpressions.Regex pattern) in shapes)
                seen[shape] += pattern.IsMatch(text) ? 1 : 0;
            // One helper called at two type arguments or more (its declaration's <T> aside).
            bool several = System.Text.RegularExpressions.Regex.Matches(text, @"\b(G\d)<(\w+)>\(").Where(m => m.Groups[2].Value != "T")
                .GroupBy(m => m.Groups[1].Value).Any(g => g.Select(m => m.Groups[2].Value).Distinct().Count() >= 2);
            seen["several instantiations"] += several ? 1 : 0;
        }
        Assert.All(seen, s => Assert.True(s.Value >= 5, string.Join(", ", seen.Select(e => $"{e.Key}: {e.Value}"))));
    }

    /// <summary>
    /// Issue 39: within the CI budget the generator writes every collection statement, the ones that return and the ones
    /// that raise as .NET raises (the budget's run above checks them against .NET and checks NRT balances).
    /// </summary>
    [Fact]
    public void The_generator_writes_every_collection_statement()
    {
        const string G = @"System\.Collections\.Generic\.";
        var shapes = new Dictionary<string, System.Text.RegularExpressions.Regex>
        {
            ["list thinned backwards"] = new($@"new {G}List<int>\(\w+\); for \(int i\d+ = l\d+\.Count - 1"),
            ["dictionary counting"] = new($@"new {G}Dictionary<int, int>\(\); foreach"),
            ["set thinned in its foreach"] = new($@"new {G}HashSet<int>\(\w+\); foreach"),
            ["queue feeding a stack"] = new($@"new {G}Queue<int>\(\); var p\d+ = new {G}Stack<int>"),
            ["dictionary of lists"] = new($@"new {G}Dictionary<int, {G}List<int>>"),
            ["list grown, sorted, reversed"] = new(@"l\d+\.Sort\(\); l\d+\.Reverse\(\);"),
            ["instances as elements and keys"] = new($@"new {G}HashSet<K\d+>\(\); var d\d+ = new {G}Dictionary<K\d+, int>"),
            ["list of arrays, jagged array"] = new($@"new {G}List<int\[\]>\(\); .* = new int\[r\d+\.Count \+ 1\]\[\]"),
            ["list index (raises)"] = new($@"new {G}List<int>\(\w+\)\["),
            ["missing key (raises)"] = new($@"new {G}Dictionary<int, int> {{ \["),
            ["empty queue (raises)"] = new($@"new {G}Queue<int>\(\w+\); for"),
            ["list changed in its foreach (raises)"] = new(@"foreach \(int v\d+ in l\d+\) \{ if \(v\d+ == "),
        };
        var seen = shapes.Keys.ToDictionary(k => k, _ => 0);
        for (int seed = 1; seed <= Budget; seed++)
        {
            string text = Generator.Generate(seed).Render();
            foreach ((string shape, System.Text.RegularExpressions.Regex pattern) in shapes)
                seen[shape] += pattern.Count(text);
        }
        Assert.All(seen, s => Assert.True(s.Value >= 2, string.Join(", ", seen.Select(e => $"{e.Key}: {e.Value}"))));
    }

    /// <summary>Issue 42: seed 9720746 made the parallel target's outliner throw (a Prange loop whose exit leads only to a throw) and took its batch process down.</summary>
    [Fact]
    public void Seed_9720746_agrees_with_dotnet()
    {
        ProgramModel program = Generator.Generate(9720746);
        Assert.Matches(@"foreach \(int i21 in Prange\.Range\(0\)\)", program.Render()); // still the program that found it
        Summary summary = FuzzRun.Run(9720746, 1, ["cpu", "parallel"], outDirectory: null, reduce: false);
        Assert.True(summary.Clean, summary.Describe());
        Assert.Equal(6, summary.Runs);
    }

    /// <summary>The shape behind issue 42 is made on purpose: Prange loops whose block then ends in a tail that never returns, within the CI budget's seeds.</summary>
    [Fact]
    public void The_generator_follows_loops_with_tails_that_never_return()
    {
        var tail = new System.Text.RegularExpressions.Regex(@"(?m)foreach \(int \w+ in Prange\.Range\(\d+\)\)\n( +)\{\n(?:.*\n)*?\1\}\n\1(throw new|for \(int k\d+ = 0; ; |Program\.Fail\()");
        int[] shapes = new int[3];
        int programs = 0;
        for (int seed = 1; seed <= Budget; seed++)
        {
            var found = tail.Matches(Generator.Generate(seed).Render());
            programs += found.Count > 0 ? 1 : 0;
            foreach (System.Text.RegularExpressions.Match m in found)
                shapes[m.Groups[2].Value switch { "throw new" => 0, "Program.Fail(" => 2, _ => 1 }]++;
        }
        Assert.True(programs >= 10, $"{programs} programs of {Budget} follow a Prange loop with a tail");
        Assert.All(shapes, n => Assert.True(n > 0, string.Join(", ", shapes)));
    }

    /// <summary>
    /// Issue 42: a compiler crash costs the run one program, not a batch. Faults injected into the
    /// batch's child: at seed 3 the process dies (as a native crash would), at seed 5 every compile
    /// throws (as a compiler bug would). Every other program is still checked.
    /// </summary>
    [Fact]
    public void A_crash_costs_the_run_one_program_not_a_batch()
    {
        Summary summary = FuzzRun.RunInBatches(1, 6, batch: 6, ["cpu"], outDirectory: null, reduce: false, TextWriter.Null, inject: "crash:3,throw:5");
        Assert.Equal(6, summary.Programs);
        Assert.Equal(4 * 3, summary.Runs); // seeds 1, 2, 4 and 6, three inputs each
        Assert.Equal(2, summary.Crashes);
        Assert.False(summary.Clean);
        Assert.Collection(summary.Failures,
            f => Assert.StartsWith("seed 3: the process died checking it (exit code ", f),
            f => Assert.StartsWith("seed 5: compiler crash on cpu (InvalidOperationException)", f));
    }

    /// <summary>What a native crash's reduction asks of each candidate: does checking it alone kill a child process.</summary>
    [Fact]
    public void A_replayed_program_dies_alone_only_where_it_crashes()
    {
        ProgramModel program = Generator.Generate(3);
        Assert.True(FuzzRun.DiesAlone(program, new FuzzRun.ChildOptions(["cpu"], null, false, false, "crash:3")));
        Assert.False(FuzzRun.DiesAlone(program, new FuzzRun.ChildOptions(["cpu"], null, false, false, null)));
    }

    [Fact]
    public void A_replay_keeps_the_source_seed_and_inputs()
    {
        ProgramModel program = Generator.Generate(12);
        string file = Path.GetTempFileName();
        try
        {
            Replay.Of(program).Write(file);
            Replay read = Replay.Read(file);
            Assert.Equal(program.Render(), read.Source);
            Assert.Equal(12, read.Seed);
            Assert.Equal(program.Inputs.Count, read.Inputs.Count);
            for (int n = 0; n < read.Inputs.Count; n++)
            {
                Assert.Equal(program.Inputs[n].Select(v => v?.GetType()), read.Inputs[n].Select(v => v?.GetType()));
                Assert.Equal(program.Inputs[n], read.Inputs[n]); // NaN and the infinities included
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_seed_always_makes_the_same_program()
    {
        for (int seed = 1; seed <= 20; seed++)
            Assert.Equal(Generator.Generate(seed).Render(), Generator.Generate(seed).Render());
        Assert.NotEqual(Generator.Generate(1).Render(), Generator.Generate(2).Render());
    }

    [Fact]
    public void The_oracle_reports_every_kind_of_difference()
    {
        Outcome Make(long? value = 7, Type? exception = null, string? message = null, double d = 1.5) =>
            new(value, exception, message, [1, 2], [d, 0.25], [3], [4.5]);
        Assert.Null(Make().Difference(Make()));
        Assert.Null(Make(d: double.NaN).Difference(Make(d: BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000000UL)))));
        Assert.StartsWith("result", Make().Difference(Make(value: 8)));
        Assert.StartsWith("exception", Make().Difference(Make(null, typeof(OverflowException), "x")));
        Assert.StartsWith("exception message", Make(null, typeof(OverflowException), "x").Difference(Make(null, typeof(OverflowException), "y")));
        Assert.StartsWith("outD[0]", Make().Difference(Make(d: 1.5000000000000002)));
        Assert.StartsWith("outD[0]", Make(d: 0.0).Difference(Make(d: -0.0)));
        Assert.StartsWith("outL[1]", Make().Difference(Make() with { Longs = [1, 3] }));
    }

    [Fact]
    public void The_reducer_shrinks_a_program_to_what_keeps_it_failing()
    {
        // A stand-in failure: "the program still divides somewhere". The reducer keeps one division and little else.
        ProgramModel program = Enumerable.Range(1, 50).Select(seed => Generator.Generate(seed)).First(p => p.Render().Contains(" / ", StringComparison.Ordinal) && p.Size > 150);
        ProgramModel reduced = Reducer.Reduce(program, p => p.Render().Contains(" / ", StringComparison.Ordinal) && Oracle.Build(p.Render(), debug: false).Item1 is not null, budget: 600);
        Assert.Contains(" / ", reduced.Render());
        Assert.True(reduced.Size < program.Size / 4, $"{program.Size} → {reduced.Size}:\n{reduced.Render()}");
    }

    [Fact]
    public void A_repro_carries_its_input_as_csharp()
    {
        ProgramModel program = Reducer.KeepInput(Generator.Generate(3), 0);
        string repro = FuzzRun.Repro(program, new Mismatch("cpu", 0, "result", "result: .NET 1, compiled 2"), "result: .NET 1, compiled 2");
        Assert.StartsWith("// result: .NET 1, compiled 2\n// target: cpu\n// Run(", repro);
        Assert.NotNull(Oracle.Build(repro, debug: false).Item1); // the comment lines do not break it
    }
}
