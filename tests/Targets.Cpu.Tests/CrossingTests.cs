#pragma warning disable CA1002, CA1051, CA1815 // collections where users write them; a plain struct of fields
namespace Targets.Cpu.Tests;

/// <summary>A plain struct: an element that crosses with its collection.</summary>
public struct Sample
{
    public int Id;
    public double Value;
}

/// <summary>A jit class with collection fields, which its box reads and writes as .NET copies.</summary>
[JitClass]
public sealed class Basket
{
    public List<int> Counts = [];
    public Dictionary<int, double> Totals = [];
    public List<Item> Items = [];

    public int Sum()
    {
        int t = 0;
        foreach (int c in Counts)
            t += c;
        return t;
    }

    public void Add(int c)
    {
        Counts.Add(c);
        Totals[c & 3] = Totals.GetValueOrDefault(c & 3) + c * 0.5;
    }
}

/// <summary>Methods .NET calls with collections and gets collections from.</summary>
public static class CrossingCode
{
    /// <summary>The Collatz steps from <paramref name="n"/> to 1 (at most 500 of them).</summary>
    public static List<int> Collatz(int n)
    {
        var steps = new List<int>();
        long v = Math.Max(n, 1);
        while (v != 1 && steps.Count < 500)
        {
            steps.Add((int)v);
            v = (v & 1) == 0 ? v / 2 : 3 * v + 1;
        }
        return steps;
    }

    /// <summary>Changes the list it is passed: removes multiples of <paramref name="m"/>, appends their count.</summary>
    public static int Thin(List<int> list, int m)
    {
        int removed = 0;
        for (int i = list.Count - 1; i >= 0; i--)
        {
            if (list[i] % m == 0)
            {
                list.RemoveAt(i);
                removed++;
            }
        }
        list.Add(removed);
        return list.Count;
    }

    /// <summary>Adds into the dictionary passed (removing one key, so a later key reuses its entry) and returns a new one.</summary>
    public static Dictionary<long, double> Merge(Dictionary<long, double> totals, long[] keys)
    {
        var fresh = new Dictionary<long, double>();
        foreach (long k in keys)
        {
            totals[k] = totals.GetValueOrDefault(k) + 0.5 * k;
            fresh.TryAdd(k % 3, k);
        }
        totals.Remove(keys.Length > 0 ? keys[0] : 0);
        totals[-1] = totals.Count;
        return fresh;
    }

    /// <summary>Returns the set it was passed, changed: .NET gets its own object back.</summary>
    public static HashSet<int> Reach(HashSet<int> seen, int[] next)
    {
        foreach (int v in next)
        {
            if (!seen.Add(v))
                seen.Remove(v + 1);
        }
        return seen;
    }

    public static int Shuffle(Queue<int> queue, Stack<int> stack)
    {
        int moved = 0;
        while (queue.Count > 1)
        {
            stack.Push(queue.Dequeue());
            moved++;
        }
        if (stack.Count > 0)
            queue.Enqueue(stack.Pop() * 10);
        return moved;
    }

    public static List<Sample> Samples(int n)
    {
        var list = new List<Sample>();
        for (int i = 0; i < n; i++)
            list.Add(new Sample { Id = i, Value = i * 0.25 });
        return list;
    }

    public static Dictionary<Shade, int> Tally(Shade[] shades)
    {
        var counts = new Dictionary<Shade, int>();
        foreach (Shade s in shades)
            counts[s] = counts.GetValueOrDefault(s) + 1;
        return counts;
    }

    /// <summary>Changes its list, then throws: the change stays, as in .NET.</summary>
    public static int AddThenThrow(List<int> list)
    {
        list.Add(42);
        if (list.Count > 1)
            throw new InvalidOperationException("too many");
        return list.Count;
    }

    public static int CountOrMinusOne(List<int>? list) => list is null ? -1 : list.Count;

    public static List<int>? NothingFor(int n) => n > 0 ? [n] : null;

    public static int ByRef(ref List<int> list) => list.Count;

    public static List<Item> Items(int n) => [new Item(n)];

    public static int Walks(List<int>.Enumerator walker) => walker.Current;
}

/// <summary>
/// Issue 39, the host boundary: collections crossing between .NET and compiled code by copy (in before the call, back
/// after it, out as the result), each compared with .NET running the same method on its own copies; the NRT counts
/// balance call by call. What cannot cross (a collection by ref, elements holding references, an enumerator) is refused
/// at compile time with the reason, and a wrong argument (another element type, a set with its own comparer) at the call.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class CrossingTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void A_list_returned_arrives_as_a_List_with_the_same_elements()
    {
        var collatz = Cpu.Compile(CrossingCode.Collatz).AsDelegate<Func<int, List<int>>>();
        Assert.Equal(CrossingCode.Collatz(27), collatz(27));
        Assert.Empty(collatz(1));
    }

    [Fact]
    public void A_list_passed_is_changed_as_in_dotnet()
    {
        var thin = Cpu.Compile(CrossingCode.Thin).AsDelegate<Func<List<int>, int, int>>();
        List<int> expected = [.. Enumerable.Range(0, 50)];
        List<int> actual = [.. Enumerable.Range(0, 50)];
        Assert.Equal(CrossingCode.Thin(expected, 3), thin(actual, 3));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_dictionary_passed_and_one_returned_enumerate_in_dotnets_order()
    {
        var merge = Cpu.Compile(CrossingCode.Merge).AsDelegate<Func<Dictionary<long, double>, long[], Dictionary<long, double>>>();
        long[] keys = [5, 7, 5, 12, 9, 7, 30];
        var expected = new Dictionary<long, double> { [1] = 1.5, [7] = 0.25 };
        var actual = new Dictionary<long, double> { [1] = 1.5, [7] = 0.25 };
        Dictionary<long, double> expectedFresh = CrossingCode.Merge(expected, keys);
        Dictionary<long, double> actualFresh = merge(actual, keys);
        Assert.Equal(expected.ToList(), actual.ToList());
        Assert.Equal(expectedFresh.ToList(), actualFresh.ToList());
    }

    [Fact]
    public void A_set_returned_where_it_was_passed_is_the_callers_own_object()
    {
        var reach = Cpu.Compile(CrossingCode.Reach).AsDelegate<Func<HashSet<int>, int[], HashSet<int>>>();
        int[] next = [3, 4, 3, 9, 4, 1];
        var expected = new HashSet<int> { 1, 2, 5 };
        var actual = new HashSet<int> { 1, 2, 5 };
        Assert.Same(expected, CrossingCode.Reach(expected, next));
        Assert.Same(actual, reach(actual, next));
        Assert.Equal(expected.ToList(), actual.ToList());
    }

    [Fact]
    public void A_queue_and_a_stack_keep_their_order_both_ways()
    {
        var shuffle = Cpu.Compile(CrossingCode.Shuffle).AsDelegate<Func<Queue<int>, Stack<int>, int>>();
        var expectedQueue = new Queue<int>([1, 2, 3, 4]);
        var expectedStack = new Stack<int>([7, 8]);
        var actualQueue = new Queue<int>([1, 2, 3, 4]);
        var actualStack = new Stack<int>([7, 8]);
        Assert.Equal(CrossingCode.Shuffle(expectedQueue, expectedStack), shuffle(actualQueue, actualStack));
        Assert.Equal(expectedQueue.ToArray(), actualQueue.ToArray());
        Assert.Equal(expectedStack.ToArray(), actualStack.ToArray());
    }

    [Fact]
    public void Structs_and_enums_cross_as_elements_and_keys()
    {
        Assert.Equal(CrossingCode.Samples(9), Cpu.Compile(CrossingCode.Samples).AsDelegate<Func<int, List<Sample>>>()(9));
        Shade[] shades = [Shade.Dark, Shade.Light, Shade.Dark, Shade.Mid, Shade.Dark];
        Assert.Equal(CrossingCode.Tally(shades).ToList(), Cpu.Compile(CrossingCode.Tally).AsDelegate<Func<Shade[], Dictionary<Shade, int>>>()(shades).ToList());
    }

    [Fact]
    public void A_change_before_a_throw_stays_as_in_dotnet()
    {
        CompiledFunction compiled = Cpu.Compile(CrossingCode.AddThenThrow);
        List<int> expected = [1];
        List<int> actual = [1];
        var dotnet = Assert.Throws<InvalidOperationException>(() => CrossingCode.AddThenThrow(expected));
        var native = Assert.Throws<InvalidOperationException>(() => compiled.Invoke(actual));
        Assert.Equal(dotnet.Message, native.Message);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Null_crosses_as_null()
    {
        Assert.Equal(-1, Cpu.Compile(CrossingCode.CountOrMinusOne).Invoke([null]));
        Assert.Null(Cpu.Compile(CrossingCode.NothingFor).AsDelegate<Func<int, List<int>?>>()(0));
        Assert.Equal([3], Cpu.Compile(CrossingCode.NothingFor).AsDelegate<Func<int, List<int>?>>()(3));
    }

    [Theory]
    [InlineData(nameof(CrossingCode.ByRef), "parameter 'list' of type List<Int32> of a method called from .NET", "pass it without ref or out")]
    [InlineData(nameof(CrossingCode.Items), "the return value of type List<Item> of a method called from .NET", "Item holds references")]
    [InlineData(nameof(CrossingCode.Walks), "parameter 'walker' of type List<Int32>.Enumerator", "pass or return the collection itself")]
    public void What_cannot_cross_is_refused_with_the_reason(string name, string what, string why)
    {
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(typeof(CrossingCode).GetMethod(name)!));
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_collection_or_comparer_is_an_argument_exception()
    {
        CompiledFunction thin = Cpu.Compile(CrossingCode.Thin);
        var e = Assert.Throws<ArgumentException>(() => thin.Invoke(new List<long>(), 3));
        Assert.Contains("argument 0 must be a List<Int32>, got List<Int64>", e.Message, StringComparison.Ordinal);
        CompiledFunction reach = Cpu.Compile(CrossingCode.Reach);
        e = Assert.Throws<ArgumentException>(() => reach.Invoke(new HashSet<int>(new ModuloComparer()), new int[] { 1 }));
        Assert.Contains("its elements compare with ModuloComparer", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => thin.AsDelegate<Func<int[], int, int>>());
        Assert.Contains("Int32(List`1, Int32)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_boxs_collection_fields_read_and_write_as_copies()
    {
        using (JitObject basket = Cpu.New(JitClass.Define<Basket>()))
        {
            basket.Set("Counts", new List<int> { 1, 2, 3 });
            Assert.Equal(6, basket.Invoke("Sum"));
            basket.Invoke("Add", 7);
            basket.Invoke("Add", 5);
            Assert.Equal([1, 2, 3, 7, 5], basket.Get<List<int>>("Counts"));
            Assert.Equal([new(3, 3.5), new(1, 2.5)], basket.Get<Dictionary<int, double>>("Totals").ToList());
            var copy = basket.Get<List<int>>("Counts");
            copy.Add(100); // a copy: the field is unchanged
            Assert.Equal(18, basket.Invoke("Sum"));
            basket.Set("Counts", null);
            Assert.Null(basket.Get("Counts"));
            var e = Assert.Throws<ArgumentException>(() => basket.Get("Items"));
            Assert.Contains("holds Item", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => basket.Set("Counts", new List<long>()));
            Assert.Contains("Basket.Counts is List<Int32>; got List<Int64>", e.Message, StringComparison.Ordinal);
        }
    }

    sealed class ModuloComparer : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x % 10 == y % 10;

        public int GetHashCode(int obj) => obj % 10;
    }
}
