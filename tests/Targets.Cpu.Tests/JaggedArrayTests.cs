#pragma warning disable CA1051, CA1814, CA1819 // a jit class of the field it holds; jagged arrays are the subject
namespace Targets.Cpu.Tests;

/// <summary>A jit class holding a jagged array.</summary>
[JitClass]
public sealed class Rows(int n)
{
    public int[][] Data = new int[n][];
}

/// <summary>Jagged arrays where they meet .NET.</summary>
public static class JaggedCode
{
    public static int Count(int[][] rows) => rows.Length;

    public static int[][] Make(int n) => new int[n][];

    public static List<int[]> Listed(int n) => [new int[n]];

    public static int Filled(int n)
    {
        var holder = new Rows(n);
        for (int i = 0; i < n; i++)
            holder.Data[i] = new int[i + 1];
        int t = 0;
        foreach (int[] row in holder.Data)
            t += row.Length;
        return t;
    }
}

/// <summary>
/// Arrays of arrays (the corpus's JaggedArrays section checks them against .NET): rows owned and released by the
/// array, so NRT balances; at the host boundary they are refused with the reason (each row is a .NET object on one
/// side and a counted array on the other), as parameters, results, box fields and collection elements.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class JaggedArrayTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Rows_in_a_jit_class_field_are_released_with_it()
    {
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(JaggedCode.Filled(40), Cpu.Compile(JaggedCode.Filled).AsDelegate<Func<int, int>>()(40));
        NrtStats after = Nrt.GetAllocationStats().Since(before);
        Assert.True(after.Alloc > 40, $"expected the rows, the array and the instance to be allocated, got {after.Alloc}");
        Assert.Equal(after.Alloc, after.Free);
    }

    [Fact]
    public void An_array_of_arrays_does_not_cross_to_or_from_dotnet()
    {
        var e = Assert.Throws<ArgumentException>(() => Cpu.Compile(JaggedCode.Count).Invoke([new int[2][]]));
        Assert.Contains("parameter 'rows' is a i32[][]: arrays of arrays do not cross between .NET and compiled code", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Cpu.Compile(JaggedCode.Make).AsDelegate<Func<int, int[][]>>());
        Assert.Contains("it returns a i32[][]: arrays of arrays do not cross", e.Message, StringComparison.Ordinal);
        var refused = Assert.Throws<CompilationException>(() => Cpu.Compile(JaggedCode.Listed));
        Assert.Contains("Int32[] holds references", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_box_does_not_lend_its_jagged_field()
    {
        using JitObject box = Cpu.New(JitClass.Define<Rows>(), 3);
        var e = Assert.Throws<ArgumentException>(() => box.Get("Data"));
        Assert.Contains("arrays of arrays do not cross to .NET", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => box.Set("Data", new int[1][]));
        Assert.Contains("arrays of arrays cannot cross from .NET", e.Message, StringComparison.Ordinal);
        box.Set("Data", null);
    }
}
