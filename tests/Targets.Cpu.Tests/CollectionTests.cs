#pragma warning disable CA1002, CA1051 // collections where users write them, a jit class of the field it holds
namespace Targets.Cpu.Tests;

/// <summary>A jit class with an equality of its own: not a key compiled code hashes (it compares instances by identity).</summary>
[JitClass]
public sealed class Keyed(int id)
{
    public int Id = id;

    public override bool Equals(object? obj) => obj is Keyed other && other.Id == Id;

    public override int GetHashCode() => Id;
}

/// <summary>Dictionary, set, queue and stack code, and where compiled code refuses them.</summary>
public static class CollectionCode
{
    /// <summary>Instances in every container: queued, pushed, stored under keys, taken out by Try… into variables, dropped.</summary>
    public static double Shelved(int n)
    {
        var byId = new Dictionary<int, Item>();
        var queue = new Queue<Item>();
        var stack = new Stack<Item>();
        for (int i = 0; i < n; i++)
        {
            var item = new Item(i * 0.5);
            byId[i % 7] = item;
            queue.Enqueue(item);
            stack.Push(item);
        }
        double t = 0;
        while (queue.TryDequeue(out Item? first))
            t += first.Weight;
        if (stack.TryPop(out Item? top))
            t += top.Weight;
        if (byId.Remove(3, out Item? removed))
            t += removed.Weight;
        if (byId.TryGetValue(4, out Item? kept))
            t += kept.Weight;
        foreach (var (id, item) in byId)
            t = t * 0.5 + id + item.Weight;
        return t;
    }

    public static int KeysWithAnEqualityOfTheirOwn(int n)
    {
        var seen = new HashSet<Keyed> { new(n) };
        return seen.Count;
    }

    public static int OutIntoAnArrayElement(Item?[] found)
    {
        var byId = new Dictionary<int, Item> { [1] = new Item(1) };
        return byId.TryGetValue(1, out found[0]) ? 1 : 0;
    }

    public static int IntersectWith(int[] a)
    {
        var set = new HashSet<int>(a);
        set.IntersectWith(a);
        return set.Count;
    }
}

/// <summary>
/// Dictionary, HashSet, Queue and Stack in compiled code: instance elements and values released when taken out, overwritten
/// or dropped with their container (the NRT counts balance), values taken out by Try… into variables; a container
/// crossing to .NET, a key class with an equality of its own, an out argument that is not a variable and a member the substitute lacks are refused
/// with the reason. The corpus's Dictionaries and SetsQueuesStacks sections check the members against .NET.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class CollectionTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Instances_in_every_container_are_released_with_it()
    {
        var shelved = Cpu.Compile(CollectionCode.Shelved).AsDelegate<Func<int, double>>();
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(CollectionCode.Shelved(29), shelved(29));
        Assert.Equal(CollectionCode.Shelved(0), shelved(0));
        NrtStats after = Nrt.GetAllocationStats().Since(before);
        Assert.True(after.Alloc > 29, $"expected the items and the containers to be allocated, got {after.Alloc}");
        Assert.Equal(after.Alloc, after.Free);
    }

    [Theory]
    [InlineData(nameof(CollectionCode.KeysWithAnEqualityOfTheirOwn), "Keyed defines Equals or GetHashCode")]
    [InlineData(nameof(CollectionCode.OutIntoAnArrayElement), "a reference to an element of a Item[]")]
    [InlineData(nameof(CollectionCode.IntersectWith), "HashSet<Int32>.IntersectWith(IEnumerable`1) is not supported")]
    public void What_compiled_code_does_not_offer_is_refused_with_the_reason(string name, string expected)
    {
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(typeof(CollectionCode).GetMethod(name)!));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), e.Message);
    }
}
