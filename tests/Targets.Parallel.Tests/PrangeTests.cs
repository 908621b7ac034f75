using Targets.Cpu;

namespace Targets.Parallel.Tests;

/// <summary>Prange loops against .NET, on cpu (in order) and parallel (chunks across cores): every reduction form, private variables, nesting, exceptions, shared instances.</summary>
public sealed class PrangeTests : NrtLeakCheck
{
    public static TheoryData<string> Targets => LaunchTests.Targets;

    static TDelegate On<TDelegate>(string target, TDelegate method) where TDelegate : Delegate =>
        LaunchTests.Make(target).Compile(method).AsDelegate<TDelegate>();

    static readonly int[] Ints = Enumerable.Range(0, 20_011).Select(i => (int)((i * 2654435761L) % 100_003) - 50_000).ToArray();

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_prange_loop_in_a_try_gives_the_catch_around_it_what_a_worker_raised(string target)
    {
        var run = On<Func<int[], long>>(target, Samples.PrangeInATry);
        int[] divisors = [.. Enumerable.Range(1, 50_000)];
        Assert.Equal(Samples.PrangeInATry(divisors), run(divisors));
        divisors[31_337] = 0;
        Assert.Equal(-1, Samples.PrangeInATry(divisors));
        Assert.Equal(-1, run(divisors));
    }

    /// <summary>Some divisors are 0, some overflow: each iteration catches its own, the results are .NET's element for element.</summary>
    [Theory]
    [MemberData(nameof(Targets))]
    public void A_try_in_a_prange_body_catches_in_the_iteration_that_raised(string target)
    {
        int[] divisors = [.. Enumerable.Range(0, 30_000).Select(i => i % 3 == 0 ? 0 : i % 7 == 0 ? 1 : i % 5)];
        int[] expected = new int[divisors.Length], actual = new int[divisors.Length];
        long caught = Samples.CatchInEveryIteration(divisors, expected);
        Assert.Equal(caught, On<Func<int[], int[], long>>(target, Samples.CatchInEveryIteration)(divisors, actual));
        Assert.Equal(expected, actual);
        Assert.True(caught >= 10_000 && expected.Contains(-7), "both catch clauses run");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_finally_in_a_prange_body_runs_in_every_iteration_and_the_exception_reaches_the_catch_around_the_loop(string target)
    {
        var run = On<Func<int[], int[], int>>(target, Samples.FinallyInEveryIteration);
        int[] divisors = [.. Enumerable.Range(1, 20_000)], expected = new int[divisors.Length], actual = new int[divisors.Length];
        Assert.Equal(Samples.FinallyInEveryIteration(divisors, expected), run(divisors, actual));
        Assert.Equal(expected, actual);
        divisors[12_345] = 0;
        Array.Clear(actual);
        Assert.Equal(-1, run(divisors, actual));
        Assert.Equal(1_000_000, actual[12_345]); // its finally ran in the iteration that raised; which others ran is the workers' order
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_catch_that_leaves_a_prange_loop_runs_in_order_on_cpu_and_is_a_race_on_parallel(string target)
    {
        int[] divisors = [5, 4, 0, 2, 0];
        if (target == "cpu")
        {
            Assert.Equal(Samples.CatchThatLeavesTheLoop(divisors), On<Func<int[], int>>(target, Samples.CatchThatLeavesTheLoop)(divisors));
            return;
        }
        var e = Assert.Throws<CompilationException>(() => On<Func<int[], int>>(target, Samples.CatchThatLeavesTheLoop));
        Assert.Equal(CompilationErrorKind.Race, e.Kind);
        Assert.Contains("a catch in a Prange loop that leaves the loop", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Integer_reductions_are_exact(string target)
    {
        foreach (int n in new[] { 0, 1, 2, 3, 17, 1000, 100_001 })
        {
            Assert.Equal(Samples.Add(n), On<Func<int, long>>(target, Samples.Add)(n));
            Assert.Equal(Samples.AddLongForm(n), On<Func<int, long>>(target, Samples.AddLongForm)(n));
            Assert.Equal(Samples.Subtract(n), On<Func<int, int>>(target, Samples.Subtract)(n));
            Assert.Equal(Samples.SubtractLongForm(n), On<Func<int, int>>(target, Samples.SubtractLongForm)(n));
            Assert.Equal(Samples.Multiply(n), On<Func<int, long>>(target, Samples.Multiply)(n));
            Assert.Equal(Samples.MultiplyWrapping(n), On<Func<int, ulong>>(target, Samples.MultiplyWrapping)(n));
            Assert.Equal(Samples.Empty(0, n), On<Func<int, int, long>>(target, Samples.Empty)(0, n));
        }
        foreach (int length in new[] { 0, 1, 5, 20_011 })
        {
            int[] a = Ints[..length];
            Assert.Equal(Samples.Minimum(a), On<Func<int[], int>>(target, Samples.Minimum)(a));
            Assert.Equal(Samples.Bits(a), On<Func<int[], int>>(target, Samples.Bits)(a));
            long[] wide = a.Select(v => (long)v * 1_000_003).ToArray();
            Assert.Equal(Samples.BitsLongForm(wide), On<Func<long[], long>>(target, Samples.BitsLongForm)(wide));
            uint[] unsigned = a.Select(v => unchecked((uint)v)).ToArray();
            Assert.Equal(Samples.MinimumUnsigned(unsigned), On<Func<uint[], uint>>(target, Samples.MinimumUnsigned)(unsigned));
        }
    }

    /// <summary>
    /// Instances and small arrays allocated inline in Prange bodies come from each worker's own pool,
    /// and instances made on workers can die on the calling thread: .NET's results, balanced counts.
    /// </summary>
    [Theory]
    [MemberData(nameof(Targets))]
    public void Instances_made_in_parallel_bodies_live_and_die_anywhere(string target)
    {
        foreach (int n in new[] { 0, 1, 7, 1000, 50_000 })
        {
            Assert.Equal(Samples.BuildListsInParallel(n), On<Func<int, long>>(target, Samples.BuildListsInParallel)(n));
            Assert.Equal(Samples.MadeOnWorkersFreedHere(n), On<Func<int, long>>(target, Samples.MadeOnWorkersFreedHere)(n));
        }
    }

    /// <summary>Cycles made on every worker (in every worker's pool) are all found and freed by one collection on this thread.</summary>
    [Theory]
    [MemberData(nameof(Targets))]
    public void Cycles_made_on_workers_are_freed_by_a_collection(string target)
    {
        Nrt.AutomaticCycleCollection = false;
        try
        {
            Nrt.CollectCycles();
            NrtStats before = Nrt.GetAllocationStats();
            Assert.Equal(Samples.CyclesOnWorkers(40_000), On<Func<int, long>>(target, Samples.CyclesOnWorkers)(40_000));
            NrtStats leaked = Nrt.GetAllocationStats().Since(before);
            Assert.Equal(80_000, leaked.Alloc - leaked.Free);
            Assert.Equal(80_000, Nrt.CollectCycles().Freed);
            Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced);
        }
        finally
        {
            Nrt.AutomaticCycleCollection = true;
        }
    }

    /// <summary>
    /// Floating-point sums add in chunk order on parallel, not left to right, so they agree with
    /// .NET's within the error bound of any summation order, (n-1)·ε·Σ|xᵢ|; on cpu they are
    /// exact. Min and max are exact everywhere.
    /// </summary>
    [Theory]
    [MemberData(nameof(Targets))]
    public void Floating_reductions_agree_within_the_documented_tolerance(string target)
    {
        double[] a = Ints.Select(v => v * 0.001).ToArray();
        double expected = Samples.SumOfSquares(a);
        double bound = target == "cpu" ? 0 : (a.Length - 1) * Math.Pow(2, -53) * a.Sum(x => x * x);
        Assert.Equal(expected, On<Func<double[], double>>(target, Samples.SumOfSquares)(a), bound);
        Assert.Equal(Samples.Maximum(a), On<Func<double[], double>>(target, Samples.Maximum)(a));
        Assert.Equal(double.NegativeInfinity, On<Func<double[], double>>(target, Samples.Maximum)([]));
        float[] f = Ints.Select(v => v * 0.01f).ToArray();
        float sum = Samples.SumFloat(f);
        double floatBound = target == "cpu" ? 0 : (f.Length - 1) * Math.Pow(2, -24) * f.Sum(x => Math.Abs(x));
        Assert.Equal(sum, On<Func<float[], float>>(target, Samples.SumFloat)(f), floatBound);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Steps_and_bounds_follow_dotnet(string target)
    {
        var run = On<Func<int, int, int, int[], int>>(target, Samples.Stepped);
        foreach ((int start, int end, int step) in new[] { (0, 100, 1), (3, 100, 7), (99, -1, -1), (99, 4, -5), (10, 10, 1), (10, 0, 1), (0, 10, -1), (0, 100, 1000) })
        {
            int[] seen = new int[100], expected = new int[100];
            Assert.Equal(Samples.Stepped(start, end, step, expected), run(start, end, step, seen));
            Assert.Equal(expected, seen);
        }
        Same(() => Samples.Stepped(0, 10, 0, new int[10]), () => run(0, 10, 0, new int[10]));
        Same(() => Samples.Stepped(0, 101, 1, new int[100]), () => run(0, 101, 1, new int[100]));
        Assert.Equal(Samples.Empty(int.MinValue, int.MinValue + 5), On<Func<int, int, long>>(target, Samples.Empty)(int.MinValue, int.MinValue + 5));
        Assert.Equal(Samples.Empty(int.MaxValue - 5, int.MaxValue), On<Func<int, int, long>>(target, Samples.Empty)(int.MaxValue - 5, int.MaxValue));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Private_variables_arrays_and_nested_loops(string target)
    {
        int[] squares = new int[1003], expected = new int[1003];
        Samples.Squares(expected);
        On<Action<int[]>>(target, Samples.Squares)(squares);
        Assert.Equal(expected, squares);

        double[,] m = new double[64, 33];
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 33; j++)
                m[i, j] = i * 0.5 + j;
        double[] sums = new double[64], expectedSums = new double[64];
        Assert.Equal(Samples.RowSums(m, expectedSums), On<Func<double[,], double[], double>>(target, Samples.RowSums)(m, sums), 1e-9);
        Assert.Equal(expectedSums, sums);

        Assert.Equal(Samples.Nested(300), On<Func<int, long>>(target, Samples.Nested)(300));
        Assert.Equal(Samples.PrivateArrays(10_000), On<Func<int, double>>(target, Samples.PrivateArrays)(10_000));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void An_exception_at_any_iteration_is_rethrown_and_the_pool_keeps_working(string target)
    {
        var throws = On<Func<int, int, int>>(target, Samples.ThrowsAt);
        var divides = On<Func<int, int, int[], int>>(target, Samples.DividesAt);
        var random = new Random(11);
        for (int round = 0; round < 50; round++)
        {
            int n = random.Next(1, 50_000), bad = random.Next(n);
            Same(() => Samples.ThrowsAt(n, bad), () => throws(n, bad));
            Same(() => Samples.DividesAt(n, bad, new int[n]), () => divides(n, bad, new int[n]));
        }
        Assert.Equal(Samples.ThrowsAt(1000, -1), throws(1000, -1));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_shared_instance_keeps_exact_reference_counts(string target)
    {
        ITarget t = LaunchTests.Make(target);
        JitClassType type = JitClass.Define<Counter>();
        using JitObject counter = t is HostTarget host ? host.New(type, 0.5) : throw new InvalidOperationException();
        var shared = t.Compile(Samples.Shared).AsDelegate<Func<JitObject, int, double>>();
        var throughCall = t.Compile(Samples.SharedThroughCall).AsDelegate<Func<JitObject, int, double>>();
        double expected = Enumerable.Range(0, 10_000).Sum(i => 0.5 * i);
        for (int round = 0; round < 100; round++)
        {
            Assert.Equal(expected, shared(counter, 10_000), expected * 1e-12);
            Assert.Equal(expected, throughCall(counter, 10_000), expected * 1e-12);
            Assert.Equal(1, counter.RefCount);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_store_of_a_ternary_into_the_own_element_is_no_race(string target)
    {
        var run = On<Func<int, bool, int[], int>>(target, FuzzFound.StoreOfATernary);
        foreach (bool pick in new[] { true, false })
        {
            int[] expected = new int[100], got = new int[100];
            FuzzFound.StoreOfATernary(100, pick, expected);
            run(100, pick, got);
            Assert.Equal(expected, got);
        }
    }

    /// <summary>
    /// Issue 42: a Prange loop whose exit leads only to a throw (or a loop left only by a throw, or a
    /// call that always throws) is outlined and run across cores, and then throws; the corpus's
    /// <c>LoopTails</c> compares each with .NET on every target, this checks they really run in parallel.
    /// </summary>
    [Theory]
    [InlineData(CorpusConfig.Release)]
    [InlineData(CorpusConfig.Debug)]
    public void A_loop_whose_exit_never_returns_still_runs_in_parallel(CorpusConfig config)
    {
        var target = new ParallelTarget();
        foreach (string name in new[] { "PrangeThenThrow", "PrangeWritesThenThrows", "PrangeThenAlwaysFails", "PrangeThenLoopLeftByAThrow", "NestedPrangeThenThrow", "PrangeInABranchThatThrows" })
        {
            var method = CorpusCatalog.Find(CorpusBuild.Corpus(config), $"LoopTails.{name}");
            using CompiledFunction compiled = target.Compile(method);
            Assert.Contains(".prange0.dispatch", compiled.Inspect(Stage.Ir));
        }
        var writes = CorpusCatalog.Find(CorpusBuild.Corpus(config), "LoopTails.PrangeWritesThenThrows");
        int[] data = new int[50_000];
        var e = Assert.Throws<InvalidOperationException>(() => target.Compile(writes).AsDelegate<Func<int[], int, int>>()(data, 3));
        Assert.Equal("after the loop", e.Message);
        Assert.Equal(Enumerable.Range(0, data.Length).Select(i => i * 3), data);
    }

    /// <summary>
    /// Issue 44: the row-major shapes of the corpus's <c>AffineWrites</c> (compared with .NET on every
    /// target there) are proved race-free and outlined; only a stride other than ±1 leaves a check
    /// before the parallel call, which runs the body in order when the stride could wrap.
    /// </summary>
    [Theory]
    [InlineData(CorpusConfig.Release)]
    [InlineData(CorpusConfig.Debug)]
    public void Affine_writes_over_flat_arrays_run_in_parallel(CorpusConfig config)
    {
        var target = new ParallelTarget();
        foreach (string name in new[] { "MatMulFlat", "DoubleRows", "Interleave", "Fill3D", "Blur", "ReverseRows", "HugeStride" })
        {
            using CompiledFunction compiled = target.Compile(CorpusCatalog.Find(CorpusBuild.Corpus(config), $"AffineWrites.{name}"));
            string ir = compiled.Inspect(Stage.Ir);
            Assert.Contains(".prange0.dispatch", ir);
        }
        // n×n matrices of 0..n²-1 times the identity: a.
        const int n = 40;
        double[] a = Enumerable.Range(0, n * n).Select(v => (double)v).ToArray(), identity = new double[n * n], c = new double[n * n];
        for (int k = 0; k < n; k++)
            identity[k * n + k] = 1;
        target.Compile(CorpusCatalog.Find(CorpusBuild.Corpus(config), "AffineWrites.MatMulFlat")).Invoke(a, identity, c);
        Assert.Equal(a, c);
    }

    /// <summary>What the analysis proves is its own element; what it cannot, the user may vouch for with Prange.Disjoint (issue 44).</summary>
    [Theory]
    [MemberData(nameof(Targets))]
    public void Disjoint_writes_proved_or_vouched_for_agree_with_dotnet(string target)
    {
        int[] expected = Enumerable.Range(0, 1000).ToArray(), got = [.. expected];
        Disjoint.CompoundNeighbour(expected);
        On<Action<int[]>>(target, Disjoint.CompoundNeighbour)(got);
        Assert.Equal(expected, got);

        int[] perm = Enumerable.Range(0, 10_000).Select(i => (int)((i * 7919L) % 10_000)).ToArray();
        int[] inverse = new int[perm.Length], reference = new int[perm.Length];
        Disjoint.Invert(perm, reference);
        On<Action<int[], int[]>>(target, Disjoint.Invert)(perm, inverse);
        Assert.Equal(reference, inverse);
    }

    /// <summary>Two Prange loops C# gives one enumerator local are both outlined (the second used to run in order).</summary>
    [Fact]
    public void Two_loops_on_one_enumerator_local_both_run_in_parallel()
    {
        using CompiledFunction compiled = new ParallelTarget().Compile(Disjoint.TwoLoops);
        Assert.Contains(".prange1.dispatch", compiled.Inspect(Stage.Ir));
        int[] a = new int[100_000];
        compiled.AsDelegate<Action<int[]>>()(a);
        Assert.Equal(Enumerable.Range(0, a.Length).Select(i => 2 * i), a);
    }

    /// <summary>Prange.Disjoint vouches for array writes only: a variable every iteration assigns is still a race.</summary>
    [Fact]
    public void A_vouched_loop_still_has_its_variables_checked()
    {
        var e = Assert.Throws<CompilationException>(() => new ParallelTarget().Compile(Disjoint.VouchedLastWriter));
        Assert.Equal(CompilationErrorKind.Race, e.Kind);
        Assert.Contains("assigning 'last'", e.Message);
    }

    [Fact]
    public void In_plain_dotnet_a_prange_runs_in_order()
    {
        Assert.Equal([0, 1, 2], Order(Prange.Range(3)));
        Assert.Equal([5, 3, 1], Order(Prange.Range(5, 0, -2)));
        Assert.Empty(Order(Prange.Range(4, 4)));
        Assert.Equal(Prange.ZeroStep, Assert.Throws<ArgumentException>(() => Prange.Range(0, 1, 0)).Message);
        Assert.Equal([0, 1, 2], Order(Prange.Disjoint(3)));
        Assert.Equal([5, 3, 1], Order(Prange.Disjoint(5, 0, -2)));
        Assert.Equal([2, 3], Order(Prange.Disjoint(2, 4)));
        Assert.Equal(Prange.ZeroStep, Assert.Throws<ArgumentException>(() => Prange.Disjoint(0, 1, 0)).Message);

        static List<int> Order(PrangeRange range)
        {
            var seen = new List<int>();
            foreach (int i in range)
                seen.Add(i);
            return seen;
        }
    }
}
