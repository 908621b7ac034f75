namespace Targets.Parallel.Tests;

/// <summary>Every race diagnostic: the parallel target refuses the loop, naming the variable, the line and why; the cpu target, which runs it in order, compiles it.</summary>
public sealed class RaceTests
{
    static readonly ParallelTarget Parallel = new();

    static CompilationException Refused(Delegate method, string construct)
    {
        var e = Assert.Throws<CompilationException>(() => Parallel.Compile(method));
        Assert.Equal(CompilationErrorKind.Race, e.Kind);
        Assert.Contains(construct, e.Message);
        Assert.EndsWith("Samples.cs", e.SourceFile);
        Assert.True(e.SourceLine > 0, e.Message);
        Assert.NotNull(new Cpu.CpuTarget().Compile(method)); // in order, the same loop is fine
        return e;
    }

    [Fact]
    public void A_variable_written_by_every_iteration_and_read_after_the_loop() =>
        Assert.Contains("which iteration wrote it last", Refused(Races.LastWriter, "assigning 'last'").Message);

    [Fact]
    public void An_element_at_a_fixed_index() => Refused(Races.SameElement, "writing 'a'[…] in a Prange loop at an index that is not the loop variable");

    [Fact]
    public void An_element_at_a_neighbouring_index() => Refused(Races.NeighbourElement, "writing 'a'[…]");

    [Fact]
    public void A_compound_assignment_to_a_neighbouring_element() => Refused(Races.CompoundNeighbour, "writing 'a'[…]");

    [Fact]
    public void Two_different_reduction_operations() => Refused(Races.MixedOperations, "updating 's'");

    [Fact]
    public void A_reduction_variable_read_inside_the_loop() => Refused(Races.ReadAsWell, "reading 's'");

    [Fact]
    public void Break_leaves_the_loop_early() => Refused(Races.Breaks, "'break', 'return' or 'goto' out of a Prange loop");

    [Fact]
    public void Return_leaves_the_method() => Refused(Races.Returns, "'break', 'return' or 'goto' out of a Prange loop");

    [Fact]
    public void A_reduction_of_a_narrow_type() => Refused(Races.NarrowReduction, "a reduction into 's' of type i16");

    [Fact]
    public void A_checked_reduction() => Assert.Contains("depends on the order", Refused(Races.CheckedReduction, "a checked reduction into 's'").Message);

    [Fact]
    public void A_variable_passed_by_ref() => Refused(Races.ByRef, "passing 's' by ref");
}
