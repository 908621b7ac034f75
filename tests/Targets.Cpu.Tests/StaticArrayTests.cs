namespace Targets.Cpu.Tests;

/// <summary>The arrays compiled code reaches through <c>static readonly</c> fields.</summary>
public static class StaticArrayCode
{
    internal static readonly int[] Counts = new int[8];

    public static int Count(int i) => ++Counts[i & 7];

    public static int[] Table() => Counts;
}

/// <summary>
/// A <c>static readonly</c> array in compiled code is .NET's own array, pinned: compiled code's writes are .NET's to
/// see and .NET's are compiled code's, a returned one is the same object, and nothing is allocated or counted for it.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class StaticArrayTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Writes_in_compiled_code_and_in_dotnet_meet_in_one_array()
    {
        var count = Cpu.Compile(StaticArrayCode.Count).AsDelegate<Func<int, int>>();
        int before = StaticArrayCode.Counts[3];
        Assert.Equal(before + 1, count(3));
        Assert.Equal(before + 1, StaticArrayCode.Counts[3]);
        StaticArrayCode.Counts[3] = 100;
        Assert.Equal(101, count(11)); // 11 & 7 == 3
        Assert.Equal(101, StaticArrayCode.Counts[3]);
    }

    [Fact]
    public void A_returned_static_array_is_the_same_object_and_allocates_nothing()
    {
        NrtStats before = Nrt.GetAllocationStats();
        var table = (int[])Cpu.Compile(StaticArrayCode.Table).Invoke()!;
        Assert.Same(StaticArrayCode.Counts, table);
        Assert.Equal(0, Nrt.GetAllocationStats().Since(before).Alloc);
    }
}
