using Targets.Cuda.Tests;

namespace Targets.Parallel.Tests;

/// <summary>The struct kernels of the cuda tests (<see cref="StructKernels"/>) launched on cpu and on parallel, against .NET.</summary>
public sealed class StructKernelLaunchTests : NrtLeakCheck
{
    public static TheoryData<string> Targets() => ["cpu", "parallel"];

    static ITarget For(string name) => name == "cpu" ? new Cpu.CpuTarget() : new ParallelTarget();

    [Theory]
    [MemberData(nameof(Targets))]
    public void Simple_structures_sample_writes_a_struct_per_index(string target) => StructKernelChecks.SimpleStructures(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Particles_step_in_a_struct_array_with_a_struct_and_an_enum_by_value(string target) => StructKernelChecks.Particles(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Tuples_and_complex_numbers_in_kernels_match_dotnet(string target) => StructKernelChecks.TuplesAndComplex(For(target));

    /// <summary>A Prange loop over a struct array that reads a struct made before it (a capture shared by every chunk) and writes struct elements.</summary>
    internal static void Confine(Particle[] particles, float min, float max)
    {
        var bounds = new Bounds(min, max);
        foreach (int i in Prange.Range(particles.Length))
        {
            particles[i].X = bounds.Reflect(particles[i].X + particles[i].VX);
            particles[i].Y = bounds.Reflect(particles[i].Y + particles[i].VY);
        }
    }

    /// <summary>Every iteration writes a field of element 0: a race the parallel target must refuse, as it does for whole elements.</summary>
    internal static void RacyField(Particle[] particles)
    {
        foreach (int i in Prange.Range(particles.Length))
            particles[0].X = i;
    }

    /// <summary>Reads a field of the previous element (another iteration's, only read) and writes its own.</summary>
    internal static void Smooth(Particle[] from, Particle[] to)
    {
        foreach (int i in Prange.Range(from.Length))
            to[i].X = i == 0 ? from[0].X : (from[i].X + from[i - 1].X) / 2;
    }

    /// <summary>A struct that holds an array and a jit-class instance.</summary>
    internal struct Bucket
    {
        public int[] Items;
        public ListNode? Tail;
    }

    /// <summary>Each iteration fills its own element with new references, replacing (and releasing) the old ones; the array's destructor releases the rest.</summary>
    internal static long Buckets(int n)
    {
        var buckets = new Bucket[n];
        foreach (int i in Prange.Range(n))
        {
            var items = new int[(i & 7) + 1]; // the iteration's own array (an element's Items could be any iteration's)
            items[0] = i;
            buckets[i] = new Bucket { Items = items, Tail = new ListNode(i, null) };
            buckets[i].Tail = new ListNode(i * 2, buckets[i].Tail);
        }
        long total = 0;
        foreach (Bucket b in buckets)
            total += b.Items[0] + b.Items.Length + b.Tail!.Value + b.Tail.Next!.Value;
        return total;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_prange_loop_fills_an_array_of_structs_that_hold_references(string target)
    {
        ITarget compiler = For(target);
        using CompiledFunction buckets = compiler.Compile(Buckets);
        foreach (int n in new[] { 0, 1, 1000 })
            Assert.Equal(Buckets(n), buckets.Invoke(n));
    }

    /// <summary>A struct with a constructor and a mutating method.</summary>
    internal struct Accumulator(double start)
    {
        public double Total = start;
        public int Terms = 1;

        public void Add(double x)
        {
            Total += x;
            Terms++;
        }
    }

    /// <summary>A struct local constructed in each iteration (<c>new</c> through its address) and mutated: the iteration's own.</summary>
    internal static void LocalPerIteration(double[] output)
    {
        foreach (int i in Prange.Range(output.Length))
        {
            var sum = new Accumulator(i);
            sum.Add(0.5 * i);
            output[i] = sum.Total * sum.Terms;
        }
    }

    /// <summary>A struct local made before the loop and mutated in it: every iteration writes the same variable.</summary>
    internal static void SharedLocal(double[] output)
    {
        var sum = new Accumulator(1);
        foreach (int i in Prange.Range(output.Length))
        {
            sum.Add(i);
            output[i] = sum.Total;
        }
    }

    [Fact]
    public void A_struct_local_constructed_in_a_prange_body_is_private_and_one_made_before_it_is_a_race()
    {
        using var parallel = new ParallelTarget();
        double[] expected = new double[3000], actual = new double[3000];
        LocalPerIteration(expected);
        parallel.Compile(LocalPerIteration).AsDelegate<Action<double[]>>()(actual);
        Assert.Equal(expected, actual);
        var race = Assert.Throws<CompilationException>(() => parallel.Compile(SharedLocal));
        Assert.Equal(CompilationErrorKind.Race, race.Kind);
        Assert.Contains("sum", race.Message);
    }

    [Fact]
    public void Fields_of_struct_elements_are_writes_to_the_element_and_reads_stay_reads()
    {
        using var parallel = new ParallelTarget();
        var race = Assert.Throws<CompilationException>(() => parallel.Compile(RacyField));
        Assert.Equal(CompilationErrorKind.Race, race.Kind);
        Particle[] from = [.. Enumerable.Range(0, 1000).Select(k => new Particle { X = k * 0.5f })];
        Particle[] to = new Particle[from.Length], expected = new Particle[from.Length];
        Smooth(from, expected);
        parallel.Compile(Smooth).AsDelegate<Action<Particle[], Particle[]>>()(from, to);
        Assert.Equal(expected, to);
    }

    [Fact]
    public void A_prange_loop_reads_a_captured_struct_and_writes_struct_elements()
    {
        var random = new Random(3);
        Particle[] particles = [.. Enumerable.Range(0, 5000).Select(_ => new Particle { X = (float)random.NextDouble(), Y = (float)random.NextDouble(), VX = (float)random.NextDouble() - 0.5f, VY = (float)random.NextDouble() - 0.5f })];
        Particle[] expected = [.. particles];
        Confine(expected, 0.2f, 0.8f);
        using var parallel = new ParallelTarget();
        parallel.Compile(Confine).AsDelegate<Action<Particle[], float, float>>()(particles, 0.2f, 0.8f);
        Assert.Equal(expected, particles);
    }
}
