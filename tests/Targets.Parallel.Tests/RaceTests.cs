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

    const string Written = "writing 'a'[…] in a Prange loop at an index not shown to be the iteration's own";

    [Fact]
    public void An_element_at_a_fixed_index() =>
        Assert.Contains("steps by 0 per iteration", Refused(Races.SameElement, Written).Message);

    /// <summary>a[i + 1] = a[i]: the read is of the element the previous iteration writes.</summary>
    [Fact]
    public void An_element_at_a_neighbouring_index() =>
        Assert.Contains("it reads 'a'[i], which may be an element another iteration writes (this one writes 'a'[i + 1])",
            Refused(Races.NeighbourElement, "reading 'a'[…] in a Prange loop that writes it").Message);

    [Fact]
    public void A_read_of_the_next_element() => Refused(Races.ReadsNeighbour, "reading 'a'[…] in a Prange loop that writes it");

    [Fact]
    public void A_histogram_names_what_is_not_affine_and_the_alternatives()
    {
        string message = Refused(Races.Histogram, "writing 'counts'[…]").Message;
        Assert.Contains("it uses a bitwise operation", message);
        Assert.Contains("Atomic.*", message);
        Assert.Contains("Prange.Disjoint(…)", message);
    }

    [Fact]
    public void Rows_one_element_too_long() => Assert.Contains("'j', which is neither loop-invariant", Refused(Races.RowsOverlap, Written).Message);

    [Fact]
    public void Every_iteration_writing_one_row() => Refused(Races.SameRow, Written);

    [Fact]
    public void A_stride_not_tied_to_the_inner_bound() =>
        Assert.Contains("one iteration writes 'a'[4·i … 4·i + n - 1], which may span more than the 4 elements between iterations", Refused(Races.RowsWiderThanTheStride, Written).Message);

    [Fact]
    public void The_second_of_two_loops_on_one_enumerator_local() =>
        Refused(Races.SecondLoopRaces, "reading 'a'[…] in a Prange loop that writes it");

    [Fact]
    public void A_range_loop_after_a_disjoint_one_is_still_checked() =>
        Refused(Races.RangeAfterDisjoint, "reading 'a'[…] in a Prange loop that writes it");

    [Fact]
    public void A_two_dimensional_write_in_no_dimension_of_its_own() =>
        Assert.Contains("a[i, j]", Refused(Races.WrongDimension, "writing 'm'[…] in a Prange loop at an index not shown to be the iteration's own").Message);

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
