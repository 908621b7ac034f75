using static Targets.Cli.WorkloadData;

namespace Targets.Cli;

/// <summary>What one side of a benchmark runs: the timed action (none: the side is only an oracle) and a fresh result to compare.</summary>
internal sealed record BenchRunner(Action? Timed, Func<double[]> Result);

/// <summary>How big <c>targets bench</c> makes the work, and how long it measures.</summary>
internal sealed record BenchSettings(int MatrixSize, int VectorLength, int Calls, int SeriesLength, int TreeDepth,
    int Particles, int ParticleSteps, int Runs, TimeSpan Budget, int MandelbrotSize)
{
    /// <summary>The generated methods' sizes in statements, for the compile-time-per-statement rows.</summary>
    internal IReadOnlyList<int> Statements { get; init; } = [100, 400, 1600, 6400];

    /// <summary>The generated call graphs' sizes in methods, for the compile-time-per-method rows.</summary>
    internal IReadOnlyList<int> Methods { get; init; } = [50, 200, 800];

    /// <summary>The sizes <c>--size</c> names.</summary>
    internal static readonly string[] SizeNames = ["small", "default", "large"];

    internal static BenchSettings ForSize(string size) => size switch
    {
        "small" => Quick,
        "large" => Large,
        _ => Full,
    };

    /// <summary>Twice the default's matrices and more of everything: minutes, for a machine with cores and memory to spare.</summary>
    internal static BenchSettings Large { get; } = new(1024, 50_000_000, 10_000_000, 10_000, TreeDepth: 18,
        Particles: 10_000, ParticleSteps: 10_000, Runs: 9, Budget: TimeSpan.FromSeconds(5), MandelbrotSize: 2048) { Methods = [50, 200, 800, 3200] };

    /// <summary>The figures of docs/benchmarks.md: 512×512, 10^7 doubles, 10^6 calls; about 20 s on 2 cores.</summary>
    internal static BenchSettings Full { get; } = new(512, 10_000_000, 1_000_000, 1_000, TreeDepth: 16,
        Particles: 1_000, ParticleSteps: 10_000, Runs: 9, Budget: TimeSpan.FromSeconds(2), MandelbrotSize: 1024);

    /// <summary>Tiny sizes for tests: every code path, in a second or two.</summary>
    internal static BenchSettings Quick { get; } = new(24, 10_000, 1_000, 50, TreeDepth: 6,
        Particles: 100, ParticleSteps: 20, Runs: 3, Budget: TimeSpan.Zero, MandelbrotSize: 32) { Statements = [10, 40], Methods = [5, 20] };
}

/// <summary>
/// One row group of the table: a <see cref="Workloads"/> method run by .NET (the baseline and the
/// oracle) and compiled by each target. <see cref="OnTarget"/> receives a target factory: a workload
/// that measures compilation makes a fresh target per run, the others make one.
/// </summary>
internal sealed record BenchWorkload(string Name, string Size, int Operations,
    Func<BenchRunner> OnNet, Func<Func<ITarget>, BenchRunner> OnTarget)
{
    /// <summary>The name <c>--workloads</c> takes: the display name in lower case, words joined by '-' ("matmul-prange").</summary>
    public string Id => string.Join('-', System.Text.RegularExpressions.Regex.Split(Name.ToLowerInvariant(), "[^a-z0-9]+").Where(w => w.Length > 0));

    /// <summary>A kernel launch: the only kind of workload a kernels-only target (cuda) runs.</summary>
    public bool Kernel { get; init; }

    /// <summary>
    /// Timed once, with no warm-up, and checked against .NET after that run (its result is the one
    /// checked): a compile of seconds, which a second run would only repeat.
    /// </summary>
    public bool Once { get; init; }

    /// <summary>The one target that runs it, or null for every target that can.</summary>
    public string? OnlyOn { get; init; }

    /// <summary>The same work written with .NET's Parallel.For (or ForEach over ranges), timed beside the rest; none when the work has no parallel form.</summary>
    public Func<BenchRunner>? OnNetParallel { get; init; }

    /// <summary>Sink for results a timed loop would otherwise discard.</summary>
    static long sink;

    internal static IReadOnlyList<BenchWorkload> All(BenchSettings settings)
    {
        int n = settings.MatrixSize;
        double[,] a2 = Matrix2D(n, (i, j) => A(i, j, n)), b2 = Matrix2D(n, B);
        double[] a1 = MatrixFlat(n, (i, j) => A(i, j, n)), b1 = MatrixFlat(n, B);
        double[] x = Vector(settings.VectorLength);
        double[] series = Vector(settings.SeriesLength);
        int[] signs = [.. Enumerable.Range(0, 10_000).Select(i => (i & 1) == 0 ? -i : i)];
        var random = new Random(38);
        byte[] bytes = [.. Enumerable.Range(0, settings.VectorLength).Select(_ => (byte)(random.Next(256) * random.Next(256) >> 8))];
        int[] unsorted = [.. Enumerable.Range(0, 1_000_000).Select(_ => random.Next())];
        string text = new([.. bytes.Select(b => (char)('a' + b % 26))]);
        long[] words = [.. Enumerable.Range(0, settings.VectorLength / 10).Select(_ => random.Next(CollectionWorkloads.Words) * 1_000_003L)];
        float[] floats = [.. x.Select(v => (float)v)];
        int calls = settings.Calls;
        int particles = settings.Particles, steps = settings.ParticleSteps;
        const int degree = 8;
        return
        [
            Typed<Action<double[,], double[,], double[,], int>>("MatMul2D", $"{n}x{n}", 1, Workloads.MatMul2D, mm =>
            {
                var c = new double[n, n];
                return new(() => mm(a2, b2, c, n), () => { Array.Clear(c); mm(a2, b2, c, n); return Elements(c).ToArray(); });
            }),
            Typed<Action<double[], double[], double[], int>>("MatMulFlat", $"{n}x{n}", 1, Workloads.MatMulFlat, mm =>
            {
                var c = new double[n * n];
                return new(() => mm(a1, b1, c, n), () => { Array.Clear(c); mm(a1, b1, c, n); return c.ToArray(); });
            }),
            Typed<Func<double[], double>>("SumOfSquares", $"{x.Length:N0} doubles", 1, Workloads.SumOfSquares,
                sum => new(() => sum(x), () => [sum(x)])),
            Typed<Func<double[], double>>("SumDirect", $"{x.Length:N0} doubles", 1, Workloads.SumDirect,
                sum => new(() => sum(x), () => [sum(x)])),
            Typed<Func<double[], double>>("SumThroughHelper", $"{x.Length:N0} doubles", 1, Workloads.SumThroughHelper,
                sum => new(() => sum(x), () => [sum(x)])),
            Typed<Func<double[], double>>("Sum<T>, generic math", $"{x.Length:N0} doubles, INumber<T> (baseline: SumDirect)", 1, GenericWorkloads.SumGeneric,
                sum => new(() => sum(x), () => [sum(x)])),
            Typed<Func<double[], double>>("Sum over a ReadOnlySpan", $"{x.Length:N0} doubles, foreach over ReadOnlySpan<double> (baseline: SumDirect)", 1, SpanWorkloads.SumSpan,
                sum => new(() => sum(x), () => [sum(x)])),
            Typed<Func<byte[], int>>("Histogram, stackalloc", $"{bytes.Length:N0} bytes into Span<int> bins = stackalloc int[256]", 1, SpanWorkloads.Histogram,
                run => new(() => sink += run(bytes), () => [run(bytes)])),
            Typed<Func<int[], int[], int>>("Array.Sort of ints", $"{unsorted.Length:N0} random ints copied and sorted (.NET: its own Array.Sort)", 1, SpanWorkloads.SortCopy,
                run => new(() => sink += run(unsorted, new int[unsorted.Length]), () => [run(unsorted, new int[unsorted.Length])])),
            Typed<Func<float[], float>>("Vector<float> sum", $"{floats.Length:N0} floats, Vector<float> of {System.Numerics.Vector<float>.Count} lanes and a scalar tail", 1, SimdWorkloads.VectorSum,
                sum => new(() => sum(floats), () => [sum(floats)])),
            Typed<Func<double[], double[], double>>("Vector256 dot", $"{x.Length:N0} doubles, Vector256<double> products summed", 1, SimdWorkloads.Dot256,
                dot => new(() => dot(x, series.Length == x.Length ? series : x), () => [dot(x, series.Length == x.Length ? series : x)])),
            Typed<Func<int, long>>("List<int> fill and sum", $"{x.Length:N0} ints: lists of {CollectionWorkloads.Length:N0} filled from empty by Add, then summed by foreach", 1, CollectionWorkloads.FillAndSum,
                run => new(() => sink += run(x.Length), () => [run(x.Length)])),
            Typed<Func<long[], double>>("Dictionary<long, double> word count", $"{words.Length:N0} updates of {CollectionWorkloads.Words:N0} keys: TryGetValue, then the indexer", 1, CollectionWorkloads.WordCount,
                run => new(() => run(words), () => [run(words)])),
            Typed<Func<int, long>>("HashSet<int> breadth-first search", $"{x.Length / 10:N0} nodes, 4 edges each: a HashSet<int> of nodes seen, a Queue<int> frontier", 1, CollectionWorkloads.BreadthFirst,
                run => new(() => sink += run(x.Length / 10), () => [run(x.Length / 10)])),
            Typed<Func<string, char, int>>("Count chars in a string", $"{text.Length:N0} chars, foreach over a string passed in (read in place)", 1, SpanWorkloads.CountChar,
                run => new(() => sink += run(text, 'e'), () => [run(text, 'e')])),
            Typed<Func<int, double>>("Integrate, static lambda", $"{x.Length:N0} midpoints of Func<double, double> x => x * x", 1, GenericWorkloads.IntegrateLambda,
                run => new(() => run(x.Length), () => [run(x.Length)])),
            Typed<Func<int, double, double>>("Integrate, capturing lambda", $"{x.Length:N0} midpoints of Func<double, double> x => k * x * x", 1, GenericWorkloads.IntegrateClosure,
                run => new(() => run(x.Length, 1.0), () => [run(x.Length, 1.0)])),
            Typed<Func<Func<double, double>, double, double, int, double>>("Integrate, lambda from the host", $"{x.Length:N0} midpoints of a Func<double, double> x => x * x passed in", 1,
                GenericWorkloads.Integrate, run => new(() => run(GenericWorkloads.Square, 0, 1, x.Length), () => [run(GenericWorkloads.Square, 0, 1, x.Length)])),
            Typed<Func<int, double>>("Integrate, written in", $"{x.Length:N0} midpoints of x * x in the loop", 1, GenericWorkloads.IntegrateInline,
                run => new(() => run(x.Length), () => [run(x.Length)])),
            Typed<Func<double[], double>>("Sum, try in the loop", $"{x.Length:N0} doubles, a try/catch around each iteration (baseline: the next row)", 1, ExceptionWorkloads.SumWithTry,
                sum => new(() => sum(x), () => [sum(x)])),
            Typed<Func<double[], double>>("Sum, no try", $"{x.Length:N0} doubles, the same loop without the try", 1, ExceptionWorkloads.SumWithoutTry,
                sum => new(() => sum(x), () => [sum(x)])),
            Typed<Func<int[], long>>("Throw and catch", "10,000 values, every other one negative: thrown and caught", 5_000, ExceptionWorkloads.ThrowAndCatch,
                run => new(() => sink += run(signs), () => [run(signs)])),
            Typed<Func<int, int, double>>("Virtual calls, jit-class base", "1,000 shapes of 3 classes x 10,000 passes: abstract Area() through the base", 1, HierarchyWorkloads.VirtualAreas,
                run => new(() => run(1_000, 10_000), () => [run(1_000, 10_000)])),
            Typed<Func<int, double>>("AllocateAndDrop", "new double[16], per iteration", calls, Workloads.AllocateAndDrop,
                run => new(() => run(calls), () => [run(1000)])),
            Typed<Func<int, long>>("BinaryTrees", $"depth {settings.TreeDepth}", 1, Workloads.BinaryTrees,
                run => new(() => sink += run(settings.TreeDepth), () => [run(settings.TreeDepth)])),
            Typed<Func<int, long>>("BinaryTrees, malloc", $"depth {settings.TreeDepth}, NRT pooling off", 1, Workloads.BinaryTrees,
                run => new(() => sink += WithoutPooling(() => run(settings.TreeDepth)), () => [WithoutPooling(() => run(settings.TreeDepth))])),
            Typed<Func<int, long>>("BinaryTrees, acyclic nodes", $"depth {settings.TreeDepth}, [JitClass(Acyclic = true)] nodes the cycle collector does not track", 1, CycleWorkloads.BinaryTreesAcyclic,
                run => new(() => sink += run(settings.TreeDepth), () => [run(settings.TreeDepth)])),
            new BenchWorkload("Cycles, made and collected", $"{settings.Calls:N0} instances in rings of 4, dropped, then a collection (.NET: GC.Collect())", 1,
                () => new BenchRunner(() =>
                {
                    sink += CycleWorkloads.DropRings(settings.Calls);
                    GC.Collect();
                }, () => [CycleWorkloads.DropRings(1000)]),
                target =>
                {
                    var run = target().Compile(CycleWorkloads.DropRings).AsDelegate<Func<int, long>>();
                    return new BenchRunner(() =>
                    {
                        sink += run(settings.Calls);
                        Nrt.CollectCycles();
                    }, () => [run(1000)]);
                }),
            new BenchWorkload("Cycle collector pause, live", $"{settings.Calls:N0} live instances in one ring: a collection that frees nothing (.NET: GC.Collect())", 1,
                () =>
                {
                    BenchRingLink ring = CycleWorkloads.Ring(settings.Calls, 0);
                    return new BenchRunner(() => GC.Collect(), () => [ring.Prev!.Value]);
                },
                target =>
                {
                    // The box keeps the ring alive for as long as the row's runner lives.
                    var ring = (JitObject)target().Compile(CycleWorkloads.Ring).Invoke(settings.Calls, 0L)!;
                    return new BenchRunner(() => Nrt.CollectCycles(), () =>
                    {
                        using var last = (JitObject)ring.Get("Prev")!;
                        return [(long)last.Get("Value")!];
                    });
                }),
            Typed<Func<int, int, double>>("Particles", $"{particles:N0} x {steps:N0} Step calls", 1, Workloads.Particles,
                run => new(() => run(particles, steps), () => [run(particles, steps)])),
            Typed<Func<int, int, long>>("LinkedList", $"{particles:N0} nodes built, walked, dropped x {steps / 10:N0}", 1, Workloads.LinkedList,
                run => new(() => sink += run(particles, steps / 10), () => [run(particles, steps / 10)])),
            Typed<Func<int, double>>("NBody", $"5 bodies, {steps * 10:N0} steps", 1, Workloads.NBody,
                run => new(() => run(steps * 10), () => [run(steps * 10)])),
            Typed<Func<int, double>>("NBody, Vec3 struct", $"5 bodies, {steps * 10:N0} steps, Vec3[] with operators", 1, ValueTypeWorkloads.NBody,
                run => new(() => run(steps * 10), () => [run(steps * 10)])),
            Typed<Func<int, int, long>>("Mandelbrot, Complex", $"{settings.MandelbrotSize / 2}x{settings.MandelbrotSize / 2}, 200 iterations of System.Numerics.Complex", 1, ValueTypeWorkloads.MandelbrotComplex,
                run => new(() => sink += run(settings.MandelbrotSize / 2, 200), () => [run(settings.MandelbrotSize / 2, 200)])),
            Typed<Func<int, long>>("Buckets, structs with arrays", $"{particles * 10:N0} values into 64 growable struct lists", 1, ValueTypeWorkloads.Buckets,
                run => new(() => sink += run(particles * 10), () => [run(particles * 10)])),
            Typed<Func<int, int, int>>("Add (per call)", "delegate call", calls, Workloads.Add, add => new(() =>
            {
                int s = 0;
                for (int i = 0; i < calls; i++)
                    s = add(s, i);
                sink += s;
            }, () => [add(2, 3), add(int.MaxValue, 1), add(-7, 4)])),
            .. ParallelForms(settings),
            new("Compile latency, warm", "Polynomial: a full compile in a warm process (no cache), released after", 1,
                () => new(null, () => [Workloads.Polynomial(series, degree)]),
                target => new(() => CompileCallRelease(target(), series, degree, cache: false), () => [CompileCallRelease(target(), series, degree, cache: false)])),
            new("Compile latency, n-body step", "Advance over 5 jit-class bodies: a full compile in a warm process (no cache), released after", 1,
                () => new(null, () => [Workloads.NBody(10)]),
                target => new(() => CompileRelease(target(), Workloads.AdvanceStep), () => [target().Compile(Workloads.NBody).AsDelegate<Func<int, double>>()(10)])),
            new("Compile latency, n-body program", "NBody(10): a full compile and the first call in a warm process (no cache), released after", 1,
                () => new(null, () => [Workloads.NBody(10)]),
                target => new(() => CompileNBodyCallRelease(target(), CompileTier.Optimized), () => [CompileNBodyCallRelease(target(), CompileTier.Optimized)])),
            new("Compile latency, n-body program, quick tier", "NBody(10) as a tiered first call runs it: the quick tier compiled and called (no cache), released after", 1,
                () => new(null, () => [Workloads.NBody(10)]),
                target => new(() => CompileNBodyCallRelease(target(), CompileTier.Quick), () => [CompileNBodyCallRelease(target(), CompileTier.Quick)])),
            new("Compile latency, tiny", "Add: a full compile and a call in a warm process (no cache), released after", 1,
                () => new(null, () => [Workloads.Add(2, 3)]),
                target => new(() => CompileAddCallRelease(target(), 2, 3), () => [CompileAddCallRelease(target(), 2, 3)])),
            new("Compile latency, disk cache", "Polynomial: loaded from the on-disk cache in a warm process, released after", 1,
                () => new(null, () => [Workloads.Polynomial(series, degree)]),
                target => new(() => CompileCallRelease(target(), series, degree, cache: true), () => [CompileCallRelease(target(), series, degree, cache: true)])),
            new("Compile latency", "Polynomial, new target (code shared in-process: a cache hit)", 1,
                () => new(null, () => [Workloads.Polynomial(series, degree)]),
                target => new(() => CompileAndCall(target(), series, degree), () => [CompileAndCall(target(), series, degree)])),
            new("Jit class latency", "Define, compile, call; new target (shared code)", 1,
                () => new(null, () => [Workloads.UseAccumulator(1.5, 2.5)]),
                target => new(() => DefineCompileAndCall(target()), () => [DefineCompileAndCall(target())])),
            .. settings.Statements.Select(n => CompileGrowth("Compile time per statement", $"{n:N0} statements: a generated method, compile + first call (no cache)",
                n, () => GeneratedWorkloads.Statements(n), [new double[16], new double[16]])),
            .. settings.Methods.Select(n => CompileGrowth("Compile time per method", $"{n:N0} methods: a generated call graph from its root, compile + first call (no cache)",
                n, () => GeneratedWorkloads.CallGraph(n), [new double[16], 0])),
        ];
    }

    /// <summary>
    /// A generated method of <paramref name="size"/> statements (or a call graph of that many methods)
    /// compiled from scratch and called once, timed per statement (or method): how compile time grows
    /// with the code (docs/benchmarks.md, compile time). .NET runs it by reflection, as the oracle.
    /// The C# is generated and compiled by Roslyn when the row runs, not when it is listed.
    /// </summary>
    static BenchWorkload CompileGrowth(string name, string size, int units, Func<System.Reflection.MethodInfo> generate, object[] arguments)
    {
        var generated = new Lazy<System.Reflection.MethodInfo>(generate);
        object?[] Fresh() => [.. arguments.Select(a => a is double[] array ? array.Select((_, i) => 0.5 + i % 5).ToArray() : a)];
        return new(name, size, units,
            () => new(null, () => [(double)generated.Value.Invoke(null, Fresh())!]),
            target =>
            {
                double last = double.NaN;
                return new(() =>
                {
                    using CompiledFunction compiled = target().Compile(generated.Value, CompileOptions.Default with { Cache = false });
                    last = (double)compiled.Invoke(Fresh())!;
                }, () => [last]);
            }) { Once = true, OnlyOn = "cpu" }; // the parallel target's frontend and LLVM are the same
    }

    /// <summary>The workloads with a parallel form: Prange loops and kernel launches, each beside .NET's Parallel.For.</summary>
    static IEnumerable<BenchWorkload> ParallelForms(BenchSettings settings)
    {
        int n = settings.MatrixSize, size = settings.MandelbrotSize;
        double[,] a = Matrix2D(n, (i, j) => A(i, j, n)), b = Matrix2D(n, B);
        double[] aFlat = MatrixFlat(n, (i, j) => A(i, j, n)), bFlat = MatrixFlat(n, B);
        double[] x = Vector(settings.VectorLength);
        float[] xs = x.Select(v => (float)v).ToArray();
        const int limit = 200;
        BenchRunner MatMul(Action<double[,], double[,], double[,], int> mm)
        {
            var c = new double[n, n];
            return new(() => mm(a, b, c, n), () => { Array.Clear(c); mm(a, b, c, n); return Elements(c).ToArray(); });
        }
        BenchRunner MatMulFlat(Action<double[], double[], double[], int> mm)
        {
            var c = new double[n * n];
            return new(() => mm(aFlat, bFlat, c, n), () => { Array.Clear(c); mm(aFlat, bFlat, c, n); return c.ToArray(); });
        }
        BenchRunner Mandelbrot(Action<int, int, int[]> run)
        {
            var counts = new int[size * size];
            return new(() => run(size, limit, counts), () => { run(size, limit, counts); return counts.Select(v => (double)v).ToArray(); });
        }
        BenchRunner StructParticles(Action<StructParticle[], int> run)
        {
            StructParticle[] particles = ValueTypeWorkloads.Particles(settings.Particles * 100);
            return new(() => run(particles, 100), () =>
            {
                StructParticle[] fresh = ValueTypeWorkloads.Particles(settings.Particles * 100);
                run(fresh, 100);
                return fresh.SelectMany(p => new double[] { p.X, p.Y, p.VX, p.VY }).ToArray();
            });
        }
        BenchRunner Saxpy(Action<float, float[], float[]> run)
        {
            var y = new float[xs.Length];
            return new(() => run(2f, xs, y), () => { Array.Fill(y, 1f); run(2f, xs, y); return y.Select(v => (double)v).ToArray(); });
        }
        BenchRunner Launches(Action<int[]> launch, int calls)
        {
            var data = new int[10];
            return new(() =>
            {
                for (int c = 0; c < calls; c++)
                    launch(data);
            }, () => { launch(data); return data.Select(v => (double)v).ToArray(); });
        }
        return
        [
            Typed<Action<double[,], double[,], double[,], int>>("MatMul, prange", $"{n}x{n}", 1, ParallelWorkloads.MatMul, MatMul)
                with { OnNetParallel = () => MatMul(ParallelWorkloads.MatMulNet) },
            Typed<Action<double[], double[], double[], int>>("MatMulFlat, prange", $"{n}x{n}", 1, ParallelWorkloads.MatMulFlat, MatMulFlat)
                with { OnNetParallel = () => MatMulFlat(ParallelWorkloads.MatMulFlatNet) },
            Typed<Action<int, int, int[]>>("Mandelbrot, prange", $"{size}x{size}, {limit} iterations", 1, ParallelWorkloads.Mandelbrot, Mandelbrot)
                with { OnNetParallel = () => Mandelbrot(ParallelWorkloads.MandelbrotNet) },
            Typed<Action<StructParticle[], int>>("Particles, struct array, prange", $"{settings.Particles * 100:N0} particles x 100 steps", 1, ValueTypeWorkloads.StepParticles, StructParticles)
                with { OnNetParallel = () => StructParticles(ValueTypeWorkloads.StepParticlesNet) },
            Typed<Func<double[], double>>("SumOfSquares, prange", $"{x.Length:N0} doubles", 1, ParallelWorkloads.SumOfSquares, sum => new(() => sum(x), () => [sum(x)]))
                with { OnNetParallel = () => new(() => ParallelWorkloads.SumOfSquaresNet(x), () => [ParallelWorkloads.SumOfSquaresNet(x)]) },
            new BenchWorkload("Saxpy kernel", $"{xs.Length:N0} floats", 1, () => Saxpy(ParallelWorkloads.SaxpyLoop),
                target => { ITarget t = target(); return Saxpy((a, x, y) => t.Launch(ParallelWorkloads.Saxpy, y.Length, a, x, y)); })
                with { OnNetParallel = () => Saxpy(ParallelWorkloads.SaxpyNet), Kernel = true },
            new BenchWorkload("Launch, 1 item", "an empty kernel", settings.Calls / 10, () => Launches(d => ParallelWorkloads.Nothing(new Index1D(0), d), settings.Calls / 10),
                target => { ITarget t = target(); return Launches(d => t.Launch(ParallelWorkloads.Nothing, 1, d), settings.Calls / 10); })
                with { OnNetParallel = () => Launches(d => System.Threading.Tasks.Parallel.For(0, 1, i => ParallelWorkloads.Nothing(new Index1D(i), d)), settings.Calls / 10), Kernel = true },
            new BenchWorkload("Launch, 10 items", "an empty kernel", settings.Calls / 10, () => Launches(d => { for (int i = 0; i < 10; i++) ParallelWorkloads.Nothing(new Index1D(i), d); }, settings.Calls / 10),
                target => { ITarget t = target(); return Launches(d => t.Launch(ParallelWorkloads.Nothing, 10, d), settings.Calls / 10); })
                with { OnNetParallel = () => Launches(d => System.Threading.Tasks.Parallel.For(0, 10, i => ParallelWorkloads.Nothing(new Index1D(i), d)), settings.Calls / 10), Kernel = true },
            new BenchWorkload("Launch, 1000 items", "an empty kernel", settings.Calls / 100, () => Launches(d => { for (int i = 0; i < 1000; i++) ParallelWorkloads.Nothing(new Index1D(i), d); }, settings.Calls / 100),
                target => { ITarget t = target(); return Launches(d => t.Launch(ParallelWorkloads.Nothing, 1000, d), settings.Calls / 100); })
                with { OnNetParallel = () => Launches(d => System.Threading.Tasks.Parallel.For(0, 1000, i => ParallelWorkloads.Nothing(new Index1D(i), d)), settings.Calls / 100), Kernel = true },
            TypedLaunch(1, settings.Calls / 10),
            TypedLaunch(10, settings.Calls / 10),
        ];

        // The typed launcher (ITarget.Launcher): the same empty kernel without boxing or per-launch argument checks.
        BenchWorkload TypedLaunch(int items, int calls) =>
            new BenchWorkload($"Typed launch, {items} item{(items == 1 ? "" : "s")}", "an empty kernel", calls,
                () => Launches(d => { for (int i = 0; i < items; i++) ParallelWorkloads.Nothing(new Index1D(i), d); }, calls),
                target => { var launch = target().Launcher<Action<int, int[]>>(ParallelWorkloads.Nothing); return Launches(d => launch(items, d), calls); })
            with { Kernel = true };
    }

    /// <summary>Runs with every NRT block malloc'd and freed (what Numba does), to show what the per-thread pools save.</summary>
    static long WithoutPooling(Func<long> run)
    {
        Nrt.PoolingEnabled = false;
        try
        {
            return run();
        }
        finally
        {
            Nrt.PoolingEnabled = true;
        }
    }

    /// <summary>What a user pays to start using a jit class: define it, compile a function that uses it, call that once.</summary>
    static double DefineCompileAndCall(ITarget target)
    {
        _ = JitClass.Define<BenchAccumulator>();
        return target.Compile(Workloads.UseAccumulator).AsDelegate<Func<double, double, double>>()(1.5, 2.5);
    }

    /// <summary>
    /// A compilation that cannot be served from the process's shared code: the function is released
    /// after its call, so the next one compiles again — fully, or (with <paramref name="cache"/>) by
    /// loading what the first one kept in the on-disk cache.
    /// </summary>
    static double CompileCallRelease(ITarget target, double[] x, int degree, bool cache)
    {
        using CompiledFunction compiled = target.Compile(Workloads.Polynomial, CompileOptions.Default with { Cache = cache });
        return compiled.AsDelegate<Func<double[], int, double>>()(x, degree);
    }

    /// <summary>A full compile of <paramref name="method"/> (no cache), released at once: what new code costs a warm process.</summary>
    static void CompileRelease(ITarget target, Delegate method)
    {
        using CompiledFunction compiled = target.Compile(method, CompileOptions.Default with { Cache = false });
    }

    /// <summary>
    /// The n-body program compiled at <paramref name="tier"/> (no cache), called once, released: what its first call
    /// costs a warm process. The quick tier is what a tiered compilation's first call runs (its top tier follows on
    /// the tier-up thread, outside this figure).
    /// </summary>
    static double CompileNBodyCallRelease(ITarget target, CompileTier tier)
    {
        using CompiledFunction compiled = target.Compile(Workloads.NBody, CompileOptions.Default with { Cache = false, Tier = tier });
        return compiled.AsDelegate<Func<int, double>>()(10);
    }

    /// <summary>A full compile of <c>Add</c> (no cache), one call, released: the floor of a new function's cost.</summary>
    static double CompileAddCallRelease(ITarget target, int a, int b)
    {
        using CompiledFunction compiled = target.Compile(Workloads.Add, CompileOptions.Default with { Cache = false });
        return compiled.AsDelegate<Func<int, int, int>>()(a, b);
    }

    static double CompileAndCall(ITarget target, double[] x, int degree) =>
        target.Compile(Workloads.Polynomial).AsDelegate<Func<double[], int, double>>()(x, degree);

    /// <summary>A workload whose .NET side calls the method through <typeparamref name="TDelegate"/> and whose target side calls the compiled code through the same type.</summary>
    static BenchWorkload Typed<TDelegate>(string name, string size, int operations, TDelegate method, Func<TDelegate, BenchRunner> bind)
        where TDelegate : Delegate =>
        new(name, size, operations, () => bind(method), target => bind(target().Compile(method).AsDelegate<TDelegate>()));
}
