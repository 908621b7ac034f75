namespace Targets.Cpu.Tests;

/// <summary>
/// .NET's limits on multi-dimensional arrays at their edges, chosen so that no case touches the
/// memory it names: a negative extent, an extent past the per-dimension maximum, and a total no
/// machine holds are the exceptions .NET throws; ordinary shapes report their LongLength.
/// </summary>
public sealed class ArrayLimitTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    public static long Made(int rows, int columns)
    {
        var m = new byte[rows, columns];
        return m.LongLength;
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(0, 5)]
    [InlineData(-1, 2)]
    [InlineData(2, -1)]
    [InlineData(0x7FFFFFC8, 1)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public void Shapes_at_the_edges_behave_as_in_dotnet(int rows, int columns)
    {
        var compiled = Cpu.Compile(Made).AsDelegate<Func<int, int, long>>();
        Exception? expected = Record.Exception(() => Made(rows, columns));
        Exception? actual = Record.Exception(() => compiled(rows, columns));
        Assert.Equal(expected?.GetType(), actual?.GetType());
        if (expected is null)
            Assert.Equal(Made(rows, columns), compiled(rows, columns));
    }
}
