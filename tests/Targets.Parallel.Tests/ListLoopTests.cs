namespace Targets.Parallel.Tests;

/// <summary>
/// Collections in Prange loops: each iteration's own list, set or dictionary runs on every core; a shared list only read
/// is fine, and so is a list .NET passes (copied in and back), and a jagged array whose rows each iteration makes; a shared collection changed by the iterations is refused as a race (TGT2001) naming it.
/// </summary>
public sealed class ListLoopTests
{
    static readonly ParallelTarget Parallel = new();

    [Fact]
    public void Each_iterations_own_list_agrees_with_dotnet()
    {
        int[] expected = new int[500], actual = new int[500];
        ListLoops.OwnLists(expected);
        Parallel.Compile(ListLoops.OwnLists).AsDelegate<Action<int[]>>()(actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_shared_list_read_by_every_iteration_agrees_with_dotnet()
    {
        int[] a = [.. Enumerable.Range(0, 40).Select(i => i * 3 % 17)];
        long[] expected = new long[300], actual = new long[300];
        ListLoops.ReadShared(a, expected);
        Parallel.Compile(ListLoops.ReadShared).AsDelegate<Func<int[], long[], long>>()(a, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_list_passed_from_dotnet_is_read_by_every_iteration_and_copied_back()
    {
        System.Collections.Generic.List<int> expectedTable = [4, 9, 2], actualTable = [4, 9, 2];
        long[] expected = new long[200], actual = new long[200];
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(ListLoops.ReadPassed(expectedTable, expected),
            Parallel.Compile(ListLoops.ReadPassed).AsDelegate<Func<System.Collections.Generic.List<int>, long[], int>>()(actualTable, actual));
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedTable, actualTable);
    }

    [Fact]
    public void Each_iterations_own_row_of_a_jagged_array_agrees_with_dotnet()
    {
        long[] expected = new long[300], actual = new long[300];
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(ListLoops.JaggedRows(expected), Parallel.Compile(ListLoops.JaggedRows).AsDelegate<Func<long[], long>>()(actual));
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced);
        Assert.Equal(expected, actual);
        var e = Assert.Throws<CompilationException>(() => Parallel.Compile(ListLoops.JaggedWrite));
        Assert.Equal(CompilationErrorKind.Race, e.Kind);
    }

    [Fact]
    public void A_shared_list_changed_by_the_iterations_is_a_race()
    {
        var e = Assert.Throws<CompilationException>(() => Parallel.Compile(ListLoops.SharedList));
        Assert.Equal(CompilationErrorKind.Race, e.Kind);
        Assert.Contains("changing the List<Int32> 'all' in a Prange loop (Add)", e.Message, StringComparison.Ordinal);
        Assert.NotNull(new Cpu.CpuTarget().Compile(ListLoops.SharedList)); // in order, the same loop is fine
    }

    [Fact]
    public void Each_iterations_own_sets_and_dictionaries_agree_with_dotnet()
    {
        int[] a = [.. Enumerable.Range(0, 400).Select(i => i * 7 % 23)];
        int[] expected = new int[300], actual = new int[300];
        ListLoops.OwnSets(a, expected);
        Parallel.Compile(ListLoops.OwnSets).AsDelegate<Action<int[], int[]>>()(a, actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(nameof(ListLoops.SharedDictionary), "changing the Dictionary<Int32, Int32> 'counts' in a Prange loop (set_Item)")]
    [InlineData(nameof(ListLoops.SharedQueue), "changing the Queue<Int32> 'pending' in a Prange loop (TryDequeue)")]
    public void A_shared_collection_changed_by_the_iterations_is_a_race(string name, string expected)
    {
        var e = Assert.Throws<CompilationException>(() => Parallel.Compile(typeof(ListLoops).GetMethod(name)!));
        Assert.Equal(CompilationErrorKind.Race, e.Kind);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
