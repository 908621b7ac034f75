#pragma warning disable CA1002, CA1051 // List<T> where users write it, a jit class of the field it holds
namespace Targets.Cpu.Tests;

/// <summary>A jit class holding a list of instances.</summary>
[JitClass]
public sealed class Inventory
{
    public List<Item> Items = [];
    public double Total;

    public void Put(Item item)
    {
        Items.Add(item);
        Total += item.Weight;
    }
}

/// <summary>An element of a list.</summary>
[JitClass]
public sealed class Item(double weight)
{
    public double Weight = weight;
}

/// <summary>List code, and lists where compiled code refuses them.</summary>
public static class ListCode
{
    public static double Stocked(int n)
    {
        var inventory = new Inventory();
        for (int i = 0; i < n; i++)
            inventory.Put(new Item(i * 0.5));
        for (int i = inventory.Items.Count - 1; i >= 0; i -= 2)
            inventory.Items.RemoveAt(i);
        double kept = 0;
        foreach (Item item in inventory.Items)
            kept += item.Weight;
        return inventory.Total * 1000 + kept;
    }

    public static int Finds(int n)
    {
        var list = new List<int> { n, n + 1 };
        return list.FindIndex(v => v > n);
    }
}

/// <summary>
/// List&lt;T&gt; in compiled code: a jit class's list field, instance elements released with the list (the NRT counts
/// balance); a member the substitute lacks is refused with the reason (CrossingTests has lists crossing to .NET). The corpus's Lists
/// section checks the members against .NET.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class ListTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void A_list_of_instances_in_a_jit_class_releases_what_it_held()
    {
        var stocked = Cpu.Compile(ListCode.Stocked).AsDelegate<Func<int, double>>();
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(ListCode.Stocked(37), stocked(37));
        Assert.Equal(ListCode.Stocked(0), stocked(0));
        NrtStats after = Nrt.GetAllocationStats().Since(before);
        Assert.True(after.Alloc > 37, $"expected the items, the list and its arrays to be allocated, got {after.Alloc}");
        Assert.Equal(after.Alloc, after.Free);
    }

    [Theory]
    [InlineData(nameof(ListCode.Finds), "List<Int32>.FindIndex(Predicate`1) is not supported")]
    public void What_compiled_code_does_not_offer_is_refused_with_the_reason(string name, string expected)
    {
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(typeof(ListCode).GetMethod(name)!));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
