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
