using Targets.Cpu;

namespace Targets.Parallel.Tests;

/// <summary>
/// Typed launchers (<see cref="ITarget.Launcher{TLauncher}"/>) do what <c>Launch</c> does — the same results as
/// .NET running the kernel in a loop, the same refusals of extents — and refuse delegate types that do not fit.
/// </summary>
public sealed class TypedLauncherTests : NrtLeakCheck
{
    public static TheoryData<string> Targets => LaunchTests.Targets;

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_typed_launcher_runs_one_two_and_three_dimensional_kernels_as_dotnet_does(string name)
    {
        ITarget target = LaunchTests.Make(name);
        const int n = 10_001;
        float[] x = Enumerable.Range(0, n).Select(v => v * 0.5f).ToArray();
        float[] y = Enumerable.Range(0, n).Select(v => 1f - v).ToArray(), expected = (float[])y.Clone();
        var saxpy = target.Launcher<Action<int, float, float[], float[]>>(Samples.Saxpy);
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < n; i++)
                Samples.Saxpy(new Index1D(i), 2f, x, expected);
            saxpy(n, 2f, x, y);
        }
        Assert.Equal(expected, y);

        int[,] grid = new int[37, 23], gridExpected = new int[37, 23];
        for (int j = 0; j < 23; j++)
            for (int i = 0; i < 37; i++)
                Samples.Fill2D(new Index2D(i, j), gridExpected);
        target.Launcher<Action<(int, int), int[,]>>(Samples.Fill2D)((37, 23), grid);
        Assert.Equal(gridExpected, grid);

        long[] cells = new long[5 * 7 * 3], cellsExpected = new long[5 * 7 * 3];
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < 7; j++)
                for (int i = 0; i < 5; i++)
                    Samples.Fill3D(new Index3D(i, j, k), 5, 7, cellsExpected);
        target.Launcher<Action<(int, int, int), int, int, long[]>>(Samples.Fill3D)((5, 7, 3), 5, 7, cells);
        Assert.Equal(cellsExpected, cells);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Extents_are_checked_as_Launch_checks_them(string name)
    {
        ITarget target = LaunchTests.Make(name);
        var saxpy = target.Launcher<Action<long, float, float[], float[]>>(Samples.Saxpy);
        float[] y = [1f, 2f];
        saxpy(0, 2f, new float[2], y); // empty: nothing runs
        Assert.Equal([1f, 2f], y);
        Assert.Contains("zero or more", Assert.Throws<ArgumentOutOfRangeException>(() => saxpy(-1, 2f, new float[2], y)).Message);
        Assert.Contains("take a LongIndex1D", Assert.Throws<ArgumentOutOfRangeException>(() => saxpy(3_000_000_000L, 2f, new float[1], new float[1])).Message);
        Assert.Contains("zero or more", Assert.Throws<ArgumentOutOfRangeException>(
            () => target.Launcher<Action<(int, int), int[,]>>(Samples.Fill2D)((3, -1), new int[3, 1])).Message);
        // What the kernel raises comes through the launcher.
        Assert.Throws<IndexOutOfRangeException>(() => saxpy(3, 2f, new float[2], new float[2]));
        var hits = new long[3];
        target.Launcher<Action<long, long[]>>(LongKernels.Mark)(2001, hits);
        Assert.Equal(2000L, hits[2]);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Delegate_types_that_do_not_fit_are_refused_with_the_signature_expected(string name)
    {
        ITarget target = LaunchTests.Make(name);
        string wrongArgument = Assert.Throws<ArgumentException>(() => target.Launcher<Action<int, double, float[], float[]>>(Samples.Saxpy)).Message;
        Assert.Contains("void (int or long extent, Single a, Single[] x, Single[] y)", wrongArgument);
        Assert.Contains("(int, int) extent", Assert.Throws<ArgumentException>(() => target.Launcher<Action<int, int[,]>>(Samples.Fill2D)).Message);
        Assert.Contains("takes the extent first", Assert.Throws<ArgumentException>(() => target.Launcher<Func<int, int>>(Samples.Saxpy)).Message);
        Assert.Contains("takes the extent first", Assert.Throws<ArgumentException>(() => target.Launcher<Action<float, float, float[], float[]>>(Samples.Saxpy)).Message);
    }
}
