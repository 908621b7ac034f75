using Targets.Cpu;

namespace Targets.Parallel.Tests;

/// <summary>Kernel launches on cpu (in order) and parallel (across cores), against .NET running the kernel in a loop.</summary>
public sealed class LaunchTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();
    static readonly ParallelTarget Parallel = new();

    public static TheoryData<string> Targets => ["cpu", "parallel"];

    internal static ITarget Make(string name) => name == "cpu" ? Cpu : Parallel;

    [Theory]
    [MemberData(nameof(Targets))]
    public void Saxpy_matches_dotnet(string name)
    {
        const int n = 10_001;
        float[] x = Enumerable.Range(0, n).Select(v => v * 0.5f).ToArray();
        float[] y = Enumerable.Range(0, n).Select(v => 1f - v).ToArray(), expected = (float[])y.Clone();
        for (int i = 0; i < n; i++)
            Samples.Saxpy(new Index1D(i), 2f, x, expected);
        Make(name).Launch(Samples.Saxpy, n, 2f, x, y);
        Assert.Equal(expected, y);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Two_and_three_dimensional_indices_cover_the_extent(string name)
    {
        int[,] grid = new int[37, 23], expected = new int[37, 23];
        for (int y = 0; y < 23; y++)
            for (int x = 0; x < 37; x++)
                Samples.Fill2D(new Index2D(x, y), expected);
        Make(name).Launch(Samples.Fill2D, (37, 23), grid);
        Assert.Equal(expected, grid);

        long[] cells = new long[5 * 7 * 3], cellsExpected = new long[5 * 7 * 3];
        for (int z = 0; z < 3; z++)
            for (int y = 0; y < 7; y++)
                for (int x = 0; x < 5; x++)
                    Samples.Fill3D(new Index3D(x, y, z), 5, 7, cellsExpected);
        Make(name).Launch(Samples.Fill3D, (5, 7, 3), 5, 7, cells);
        Assert.Equal(cellsExpected, cells);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_long_index_kernel_takes_a_long_extent(string name)
    {
        // 3·10^9 items: past int.MaxValue, run for real on parallel only (a few seconds on one core).
        long extent = name == "parallel" ? 3_000_000_001L : 2_000_001L;
        var hits = new long[extent / 1000 + 1];
        Make(name).Launch(LongKernels.Mark, extent, hits);
        Assert.Equal(extent - 1 - (extent - 1) % 1000, hits[^1]);
        Assert.Equal(1000L * 1234, hits[1234]);
        Assert.Contains("take a LongIndex1D", Assert.Throws<ArgumentOutOfRangeException>(() => Make(name).Launch(Samples.Saxpy, 3_000_000_000L, 2f, new float[1], new float[1])).Message);
        Make(name).Launch(LongKernels.Mark, 5, hits); // an int extent fits a LongIndex1D kernel too
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Empty_extents_run_nothing(string name)
    {
        float[] y = [1f, 2f];
        Make(name).Launch(Samples.Saxpy, 0, 2f, new float[2], y);
        Assert.Equal([1f, 2f], y);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void An_exception_in_a_kernel_reaches_the_caller_and_the_target_keeps_working(string name)
    {
        for (int round = 0; round < 20; round++)
        {
            int bad = (round * 7919) % 5000;
            var data = new int[5000];
            var e = Assert.Throws<InvalidOperationException>(() => Make(name).Launch(Samples.CheckedKernel, 5000, data, bad));
            Assert.Equal("bad index", e.Message);
        }
        var ok = new int[100];
        Make(name).Launch(Samples.CheckedKernel, 100, ok, 200);
        Assert.Equal(100 / -200, ok[0]);
        Assert.Equal(100 / (99 - 200), ok[99]);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_shared_instance_passed_to_every_work_item_keeps_its_count(string name)
    {
        var target = (Cpu.HostTarget)Make(name);
        using JitObject counter = target.New(JitClass.Define<Counter>(), 1.5);
        var output = new double[10_000];
        for (int round = 0; round < 100; round++)
        {
            target.Launch(Samples.ScaleBy, output.Length, counter, output);
            Assert.Equal(1, counter.RefCount);
        }
        Assert.Equal(1.5 * 9_999, output[^1]);
        Assert.Contains("must be JitObject", Assert.Throws<ArgumentException>(() => target.Launch(Samples.ScaleBy, 4, 1.5, output)).Message);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Launch_checks_its_arguments(string name)
    {
        ITarget target = Make(name);
        var x = new float[4];
        Assert.Contains("takes 3 argument(s)", Assert.Throws<ArgumentException>(() => target.Launch(Samples.Saxpy, 4, x)).Message);
        Assert.Contains("argument 'a' must be Single, got Double, which does not convert implicitly", Assert.Throws<ArgumentException>(() => target.Launch(Samples.Saxpy, 4, 2.0, x, x)).Message);
        target.Launch(Samples.Saxpy, 4, 2, x, x); // an int converts to float implicitly, as in C#
        Assert.Contains("argument 'y' must be Single[], got Double[]", Assert.Throws<ArgumentException>(() => target.Launch(Samples.Saxpy, 4, 2f, x, new double[4])).Message);
        Assert.Contains("takes an Index2D", Assert.Throws<ArgumentException>(() => target.Launch(Samples.Fill2D, 4, new int[2, 2])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => target.Launch(Samples.Saxpy, -1, 2f, x, x));
        Assert.Contains("first parameter is its index", Assert.Throws<CompilationException>(() => target.Launch(Samples.Squares, 4, new int[4])).Message);
        Assert.Throws<ArgumentException>(() => target.Launch((Action<Index1D>)(_ => { }), 4));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_kernel_index_is_read_only(string name)
    {
        var e = Assert.Throws<CompilationException>(() => Make(name).Launch(Kernels.CopiesIndex, 4, new int[4]));
        Assert.Contains("kernel index", e.Message);
    }
}

public static class Kernels
{
    public static void CopiesIndex(Index2D i, int[] a)
    {
        Index2D copy = i;
        a[copy.X] = copy.Y;
    }
}
