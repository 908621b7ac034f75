using Targets.Cpu;

namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

/// <summary>A jit class with an array of instances as a field.</summary>
[JitClass]
public sealed class Bag
{
    public Vec2[]? Items;
    public int Count;

    public Bag(int capacity) => Items = new Vec2[capacity];

    public Bag(Vec2[] items)
    {
        Items = items;
        Count = items.Length;
    }

    public void Add(Vec2 v) => Items![Count++] = v;

    public void Put(int i, Vec2? v) => Items![i] = v!;

    public double SumX()
    {
        double s = 0;
        for (int i = 0; i < Count; i++)
            s += Items![i].X;
        return s;
    }

    /// <summary>The old array dies; its elements live on in the new one.</summary>
    public void Grow()
    {
        var bigger = new Vec2[Items!.Length * 2 + 1];
        for (int i = 0; i < Count; i++)
            bigger[i] = Items[i];
        Items = bigger;
    }
}

/// <summary>Instances whose elements hold arrays of instances: trees, and chains through arrays.</summary>
[JitClass]
public sealed class Branch
{
    public int Value;
    public Branch[]? Children;

    public Branch(int value, int fanOut)
    {
        Value = value;
        Children = fanOut == 0 ? null : new Branch[fanOut];
    }

    public long Sum()
    {
        long s = Value;
        if (Children is not null)
        {
            foreach (Branch? child in Children)
            {
                if (child is not null)
                    s += child.Sum();
            }
        }
        return s;
    }
}

/// <summary>Arrays of jit class instances in compiled code; .NET runs the very same methods with ordinary objects.</summary>
public static class InstanceArrayCode
{
    public static double FillAndSum(int n)
    {
        var a = new Vec2[n];
        for (int i = 0; i < a.Length; i++)
            a[i] = new Vec2(i, 2 * i);
        for (int i = 0; i < a.Length; i += 2)
            a[i].Scale(0.5);
        double s = 0;
        foreach (Vec2 v in a)
            s += v.X + v.Length;
        return s;
    }

    /// <summary>Every store releases the element it replaces.</summary>
    public static double Replace(int n, int rounds)
    {
        var a = new Vec2[n];
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < n; i++)
                a[i] = new Vec2(r, i);
        }
        double s = 0;
        foreach (Vec2 v in a)
            s += v.X * 1000 + v.Y;
        return s;
    }

    /// <summary>One instance in two arrays and a local; the arrays die around it.</summary>
    public static double Shared(double x)
    {
        var v = new Vec2(x, 1);
        var a = new Vec2[2];
        var b = new Vec2[3];
        a[0] = v;
        a[1] = v;
        b[2] = a[0];
        a[0] = null!;
        b[2].Scale(2);
        a = new Vec2[1]; // the first array dies: v is still held by b and the local
        v.Y += 10;
        b = null!;
        return v.X + v.Y + (a[0] is null ? 100 : 0) + (b is null ? 1000 : 0);
    }

    static Vec2[] Row(int n, double y)
    {
        var row = new Vec2[n];
        for (int i = 0; i < n; i++)
            row[i] = new Vec2(i, y);
        return row;
    }

    static Vec2[] Same(Vec2[] a) => a;

    static double Total(Vec2[] a)
    {
        double s = 0;
        foreach (Vec2 v in a)
            s += v.X * v.Y;
        return s;
    }

    /// <summary>Arrays made, passed and returned between compiled functions.</summary>
    public static double Rows(int n)
    {
        Vec2[] first = Row(n + 1, 1);
        Vec2[] second = Same(Row(n + 2, 2));
        first[0] = second[n + 1]; // shared between the arrays
        second = Row(1, 3); // the old second dies; its last element lives on in first
        return Total(first) + Total(second) + Total(Same(first)) + Row(2, 5)[1].Y;
    }

    /// <summary>An array field: grown (the old array dies), written through methods, moved out to a local.</summary>
    public static double Bagged(int n)
    {
        var bag = new Bag(1);
        for (int i = 0; i < n; i++)
        {
            if (bag.Count == bag.Items!.Length)
                bag.Grow();
            bag.Add(new Vec2(i, 0));
        }
        bag.Put(0, new Vec2(100, 0));
        double sum = bag.SumX();
        Vec2[] items = bag.Items!;
        bag.Items = null; // the array lives on in the local
        for (int i = 0; i < bag.Count; i++)
            sum += items[i].X;
        return sum + bag.Count + items.Length;
    }

    /// <summary>Elements start null; using a null element's members raises NullReferenceException.</summary>
    public static double NullElements(int i)
    {
        var a = new Vec2[4];
        a[1] = new Vec2(3, 4);
        a[3] = a[1];
        int nulls = 0;
        foreach (Vec2? v in a)
        {
            if (v is null)
                nulls++;
        }
        return nulls * 100 + a[i].Length;
    }

    public static double NullField(int i)
    {
        var a = new Vec2[2];
        a[1] = new Vec2(1, 1);
        return a[i].X;
    }

    public static double NullCall(int i)
    {
        var a = new Vec2[2];
        a[1] = new Vec2(1, 1);
        a[i].Scale(2);
        return a[1].X;
    }

    /// <summary>A store out of range or into a null array raises before the element takes a reference.</summary>
    public static int StoreOutside(int i)
    {
        var v = new Vec2(1, 2);
        Vec2[]? a = i == 100 ? null : new Vec2[3];
        a![i] = v;
        return a.Length;
    }

    public static int Million(int n)
    {
        var a = new Vec2[n];
        for (int i = 0; i < n; i++)
            a[i] = new Vec2(i, i);
        return a.Length;
    }

    /// <summary>A chain of <paramref name="depth"/> branches, each holding the next in its one-element array.</summary>
    public static long DeepChain(int depth)
    {
        var root = new Branch(0, 1);
        Branch last = root;
        for (int i = 1; i < depth; i++)
        {
            var next = new Branch(i, 1);
            last.Children![0] = next;
            last = next;
        }
        return root.Value + last.Value;
    }

    static Branch Grow(int depth, int fanOut, int value)
    {
        var branch = new Branch(value, depth == 0 ? 0 : fanOut);
        for (int i = 0; depth > 0 && i < fanOut; i++)
            branch.Children![i] = Grow(depth - 1, fanOut, value * fanOut + i);
        return branch;
    }

    public static long Tree(int depth)
    {
        Branch tree = Grow(depth & 7, 3, 1);
        long before = tree.Sum();
        if (tree.Children is not null)
            tree.Children[0] = Grow(1, 2, 7); // the replaced subtree dies
        return before * 1000 + tree.Sum();
    }

    public static double Grid(int rows, int cols)
    {
        var g = new Vec2[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
                g[i, j] = new Vec2(i, j);
        }
        double s = 0;
        foreach (Vec2 v in g)
            s += v.X * 10 + v.Y;
        g[0, 0] = null!;
        return s + (g[0, 0] is null ? 0.5 : 0) + g.GetLength(1);
    }

    public static Vec2[] MakeRow(int n) => Row(n, 1);

    public static Vec2[,] MakeGrid(int rows, int cols)
    {
        var g = new Vec2[rows, cols];
        g[rows - 1, cols - 1] = new Vec2(rows, cols);
        return g;
    }

    public static Bag MakeBag(int n)
    {
        var bag = new Bag(n);
        for (int i = 0; i < n; i++)
            bag.Add(new Vec2(i, -i));
        return bag;
    }

    public static double TotalOf(Vec2[] items) => Total(items);

    static int Count(params Vec2?[] items)
    {
        int count = 0;
        foreach (Vec2? item in items)
            count += item is null ? 1 : 10;
        return count;
    }

    static T Pick<T>(T[] items, int i) => items[i];

    static void Put<T>(T[] items, int i, T value) => items[i] = value;

    /// <summary>params arrays (Array.Empty when empty, an initialiser otherwise) and generic element access (ldelem/stelem T).</summary>
    public static double ParamsAndGenerics(int i)
    {
        var a = new Vec2[3];
        Put(a, i, new Vec2(i, 1));
        return Count() + Count(new Vec2(1, 1), null) * 100 + Pick(a, i).X;
    }

    public static int CompoundAssignment(int n)
    {
        var a = new Vec2[1];
        a[0] = new Vec2(n, n);
        a[0] += new Vec2(1, 1);
        return (int)a[0].X;
    }
}

/// <summary>Arrays of jit class instances (<c>Vec2[]</c>) on cpu, against .NET, under the leak fixture.</summary>
public sealed class InstanceArrayTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    static void Same<T>(Func<T> dotnet, Func<T> compiled)
    {
        T? expectedValue = default, actualValue = default;
        Exception? expected = Record.Exception(() => expectedValue = dotnet());
        Exception? actual = Record.Exception(() => actualValue = compiled());
        Assert.Equal(expected?.GetType(), actual?.GetType());
        Assert.Equal(expected?.Message, actual?.Message);
        Assert.Equal(expectedValue, actualValue);
    }

    /// <summary>Runs <paramref name="body"/> in NRT debug mode: freed memory is filled, so a use after free reads garbage.</summary>
    static void Debug(Action body)
    {
        Nrt.DebugMode = true;
        try
        {
            body();
        }
        finally
        {
            Nrt.DebugMode = false;
        }
    }

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
        Debug(() => Same(() => InstanceArrayCode.Replace(50, 4), () => (double)Cpu.Compile(InstanceArrayCode.Replace, options).Invoke(50, 4)!));
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
        Debug(() =>
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
        Assert.Contains("InstanceArrayTests.cs", error.Message);
    }
}
