using Targets.Cpu;

namespace Targets.Cpu.Tests;

/// <summary>Arrays of jit class instances (<c>Vec2[]</c>) on cpu, against .NET, under the leak fixture.</summary>
public sealed class InstanceArrayTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(-1)] // OverflowException, as .NET
    public void An_array_of_instances_is_filled_and_summed(int n)
    {
        NrtStats before = Nrt.GetAllocationStats();
        Same(() => InstanceArrayCode.FillAndSum(n), () => (double)Cpu.Compile(InstanceArrayCode.FillAndSum).Invoke(n)!);
        Assert.Equal(Math.Max(n, 0) + (n >= 0 ? 1 : 0), Nrt.GetAllocationStats().Since(before).MiAlloc);
    }

    [Theory]
    [InlineData(RefcountPruning.All)]
    [InlineData(RefcountPruning.None)]
    public void Replaced_elements_are_released(RefcountPruning pruning)
    {
        var options = new CompileOptions { RefcountPruning = pruning };
        NrtStats before = Nrt.GetAllocationStats();
        InDebugMode(() => Same(() => InstanceArrayCode.Replace(50, 4), () => (double)Cpu.Compile(InstanceArrayCode.Replace, options).Invoke(50, 4)!));
        NrtStats used = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(50 * 4 + 1, used.MiAlloc);
        Assert.True(used.IsBalanced, used.ToString());
    }

    [Theory]
    [InlineData(RefcountPruning.All)]
    [InlineData(RefcountPruning.None)]
    [InlineData(RefcountPruning.Pairs | RefcountPruning.BorrowedParameters)]
    public void An_element_shared_by_two_arrays_and_a_local_lives_as_long_as_one_holds_it(RefcountPruning pruning)
    {
        var options = new CompileOptions { RefcountPruning = pruning };
        InDebugMode(() =>
        {
            Same(() => InstanceArrayCode.Shared(2.5), () => (double)Cpu.Compile(InstanceArrayCode.Shared, options).Invoke(2.5)!);
            Same(() => InstanceArrayCode.Rows(5), () => (double)Cpu.Compile(InstanceArrayCode.Rows, options).Invoke(5)!);
            Same(() => InstanceArrayCode.Bagged(9), () => (double)Cpu.Compile(InstanceArrayCode.Bagged, options).Invoke(9)!);
            Same(() => InstanceArrayCode.Tree(3), () => (long)Cpu.Compile(InstanceArrayCode.Tree, options).Invoke(3)!);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Arrays_of_instances_are_made_passed_and_returned_between_compiled_functions(int n) =>
        Same(() => InstanceArrayCode.Rows(n), () => (double)Cpu.Compile(InstanceArrayCode.Rows).Invoke(n)!);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public void An_array_field_of_a_jit_class_grows_and_moves(int n) =>
        Same(() => InstanceArrayCode.Bagged(n), () => (double)Cpu.Compile(InstanceArrayCode.Bagged).Invoke(n)!);

    [Theory]
    [InlineData(0)] // null: NullReferenceException
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)] // IndexOutOfRangeException
    [InlineData(-1)]
    public void Null_elements_raise_null_reference_and_indices_are_checked(int i)
    {
        Same(() => InstanceArrayCode.NullElements(i), () => (double)Cpu.Compile(InstanceArrayCode.NullElements).Invoke(i)!);
        Same(() => InstanceArrayCode.NullField(i), () => (double)Cpu.Compile(InstanceArrayCode.NullField).Invoke(i)!);
        Same(() => InstanceArrayCode.NullCall(i), () => (double)Cpu.Compile(InstanceArrayCode.NullCall).Invoke(i)!);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(100)] // a null array
    public void A_store_that_raises_takes_no_reference(int i)
    {
        NrtStats before = Nrt.GetAllocationStats();
        Same(() => InstanceArrayCode.StoreOutside(i), () => (int)Cpu.Compile(InstanceArrayCode.StoreOutside).Invoke(i)!);
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void Params_arrays_and_generic_element_access(int i) =>
        Same(() => InstanceArrayCode.ParamsAndGenerics(i), () => (double)Cpu.Compile(InstanceArrayCode.ParamsAndGenerics).Invoke(i)!);

    [Fact]
    public void An_array_of_a_million_instances_is_dropped_without_stack_overflow()
    {
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(1_000_000, Cpu.Compile(InstanceArrayCode.Million).Invoke(1_000_000));
        NrtStats used = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(1_000_001, used.MiAlloc);
        Assert.True(used.IsBalanced, used.ToString());
    }

    [Fact]
    public void A_million_deep_chain_through_arrays_of_instances_is_dropped_without_stack_overflow()
    {
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(999_999L, Cpu.Compile(InstanceArrayCode.DeepChain).Invoke(1_000_000));
        NrtStats used = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(2_000_000, used.MiAlloc); // a branch and its array each
        Assert.True(used.IsBalanced, used.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void Instances_whose_elements_hold_arrays_of_instances_make_trees(int depth) =>
        Same(() => InstanceArrayCode.Tree(depth), () => (long)Cpu.Compile(InstanceArrayCode.Tree).Invoke(depth)!);

    [Theory]
    [InlineData(3, 4)]
    [InlineData(1, 1)]
    [InlineData(0, 2)] // g[0, 0] is out of range
    public void Two_dimensional_arrays_of_instances(int rows, int cols) =>
        Same(() => InstanceArrayCode.Grid(rows, cols), () => (double)Cpu.Compile(InstanceArrayCode.Grid).Invoke(rows, cols)!);

    [Fact]
    public void Returned_arrays_of_instances_reach_dotnet_as_arrays_of_boxes()
    {
        var row = Cpu.Compile(InstanceArrayCode.MakeRow).AsDelegate<Func<int, JitObject?[]>>();
        JitObject?[] boxes = row(3);
        Assert.Equal([0.0, 1.0, 2.0], boxes.Select(b => b!.Get<double>("X")));
        Assert.All(boxes, b => Assert.Equal(1, b!.RefCount)); // the array died; each box holds its instance
        foreach (JitObject? box in boxes)
            box!.Dispose();
        Assert.Empty((JitObject?[])Cpu.Compile(InstanceArrayCode.MakeRow).Invoke(0)!);

        var grid = (JitObject?[,])Cpu.Compile(InstanceArrayCode.MakeGrid).Invoke(2, 3)!;
        Assert.Equal((2, 3), (grid.GetLength(0), grid.GetLength(1)));
        Assert.Null(grid[0, 2]);
        using JitObject last = grid[1, 2]!;
        Assert.Equal(3.0, last.Get<double>("Y"));
    }

    [Fact]
    public void A_box_field_of_instances_reads_as_boxes_and_counts_references()
    {
        using JitObject bag = (JitObject)Cpu.Compile(InstanceArrayCode.MakeBag).Invoke(3)!;
        var items = (JitObject?[])bag.Get("Items")!;
        Assert.All(items, item => Assert.Equal(2, item!.RefCount)); // the array and the box
        using JitObject replacement = Cpu.New(JitClass.Define<Vec2>(), 7.0, 8.0);
        bag.Invoke("Put", 1, replacement); // the replaced element is released
        Assert.Equal(1, items[1]!.RefCount);
        Assert.Equal(2, replacement.RefCount);
        Assert.Equal(0.0 + 7.0 + 2.0, bag.Invoke("SumX"));
        var error = Assert.Throws<ArgumentException>(() => bag.Set("Items", new Vec2[1]));
        Assert.Contains("arrays of jit class instances cannot cross from .NET", error.Message);
        bag.Set("Items", null); // clearing is fine: the array and its references go
        Assert.Equal(1, items[0]!.RefCount);
        Assert.Equal(1, replacement.RefCount);
        Assert.Null(bag.Get("Items"));
        foreach (JitObject? item in items)
            item!.Dispose();
    }

    [Fact]
    public void Arrays_of_instances_cannot_be_passed_from_dotnet_yet()
    {
        CompiledFunction total = Cpu.Compile(InstanceArrayCode.TotalOf);
        var invoke = Assert.Throws<ArgumentException>(() => total.Invoke(new object?[] { new JitObject?[1] }));
        Assert.Contains("InstanceArrayCode.TotalOf: parameter 'items' is a Vec2[]", invoke.Message);
        Assert.Contains("arrays of jit class instances cannot cross from .NET to compiled code yet", invoke.Message);
        Assert.Contains("parameter 'items' is a Vec2[]", Assert.Throws<ArgumentException>(() => total.AsDelegate<Func<JitObject[], double>>()).Message);
        Assert.Throws<ArgumentException>(() => total.AsDelegate<Func<Vec2[], double>>());
        Assert.Contains("Bag..ctor: parameter 'items' is a Vec2[]", Assert.Throws<ArgumentException>(() => Cpu.New(JitClass.Define<Bag>(), new object?[] { null })).Message);
    }

    [Fact]
    public void A_reference_to_an_element_is_a_compilation_error()
    {
        var error = Assert.Throws<CompilationException>(() => Cpu.Compile(InstanceArrayCode.CompoundAssignment));
        Assert.Contains("a reference to an element of a Vec2[]", error.Message);
        Assert.Contains("InstanceArrayCode.cs", error.Message);
    }
}
