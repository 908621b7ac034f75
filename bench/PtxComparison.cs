using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Group = ILGPU.Group;
using Targets.Cuda;
using Targets.Llvm;

namespace Targets.Bench;

/// <summary>
/// Our PTX against ILGPU's for the same kernels, with no GPU: both assembled by NVIDIA's ptxas for
/// one architecture, compared by SASS instructions (<c>cuobjdump -sass</c>) and registers
/// (<c>ptxas -v</c>). <c>dotnet run -c Release --project bench -- ptx [sm]</c> prints the markdown
/// table docs/benchmarks.md holds.
/// </summary>
public static partial class PtxComparison
{
    public const int Block = 64;
    public const int Tile = 16;

    // ---- ours -------------------------------------------------------------------------------
    public static void Saxpy(Index1D i, float a, float[] x, float[] y) => y[i] = a * x[i] + y[i];

    public static void Stencil2D(Index2D p, int width, float[] input, float[] output)
    {
        int x = p.X, y = p.Y, height = input.Length / width;
        if (x > 0 && y > 0 && x < width - 1 && y < height - 1)
            output[y * width + x] = 0.25f * (input[y * width + x - 1] + input[y * width + x + 1] + input[(y - 1) * width + x] + input[(y + 1) * width + x]);
    }

    public static void Reduce(float[] input, float[] total)
    {
        float[] partial = Cuda.Cuda.SharedArray<float>(Block);
        int t = Cuda.Cuda.ThreadIdx.X;
        int i = Cuda.Cuda.BlockIdx.X * Block + t;
        partial[t] = i < input.Length ? input[i] : 0f;
        Cuda.Cuda.SyncThreads();
        for (int stride = Block / 2; stride > 0; stride /= 2)
        {
            if (t < stride)
                partial[t] += partial[t + stride];
            Cuda.Cuda.SyncThreads();
        }
        if (t == 0)
            Atomic.Add(total, 0, partial[0]);
    }

    public static void Mandelbrot(Index2D p, int width, int height, int[] iterations)
    {
        float cx = -2f + 3f * p.X / width, cy = -1.5f + 3f * p.Y / height;
        float x = 0, y = 0;
        int n = 0;
        while (n < 256 && x * x + y * y <= 4)
        {
            float t = x * x - y * y + cx;
            y = 2 * x * y + cy;
            x = t;
            n++;
        }
        iterations[p.Y * width + p.X] = n;
    }

    public static void TiledMatMul(float[] a, float[] b, float[] c, int n)
    {
        float[] ta = Cuda.Cuda.SharedArray<float>(Tile * Tile);
        float[] tb = Cuda.Cuda.SharedArray<float>(Tile * Tile);
        int tx = Cuda.Cuda.ThreadIdx.X, ty = Cuda.Cuda.ThreadIdx.Y;
        int row = Cuda.Cuda.BlockIdx.Y * Tile + ty, col = Cuda.Cuda.BlockIdx.X * Tile + tx;
        float sum = 0;
        for (int k0 = 0; k0 < n; k0 += Tile)
        {
            ta[ty * Tile + tx] = a[row * n + k0 + tx];
            tb[ty * Tile + tx] = b[(k0 + ty) * n + col];
            Cuda.Cuda.SyncThreads();
            for (int k = 0; k < Tile; k++)
                sum += ta[ty * Tile + k] * tb[k * Tile + tx];
            Cuda.Cuda.SyncThreads();
        }
        c[row * n + col] = sum;
    }

    public static void Gravity(Index1D i, Particle source, float[] xs, float[] ys, float[] pull)
    {
        float dx = source.X - xs[i], dy = source.Y - ys[i];
        pull[i] = source.Mass / (dx * dx + dy * dy + 1e-3f);
    }

    // ---- ILGPU's -----------------------------------------------------------------------------
    static void IlgpuSaxpy(ILGPU.Index1D i, float a, ArrayView<float> x, ArrayView<float> y) => y[i] = a * x[i] + y[i];

    static void IlgpuStencil2D(ILGPU.Index2D p, int width, ArrayView<float> input, ArrayView<float> output)
    {
        int x = p.X, y = p.Y, height = (int)input.Length / width;
        if (x > 0 && y > 0 && x < width - 1 && y < height - 1)
            output[y * width + x] = 0.25f * (input[y * width + x - 1] + input[y * width + x + 1] + input[(y - 1) * width + x] + input[(y + 1) * width + x]);
    }

    static void IlgpuReduce(ArrayView<float> input, ArrayView<float> total)
    {
        ArrayView<float> partial = SharedMemory.Allocate<float>(Block);
        int t = Group.IdxX;
        int i = Grid.IdxX * Block + t;
        partial[t] = i < input.Length ? input[i] : 0f;
        Group.Barrier();
        for (int stride = Block / 2; stride > 0; stride /= 2)
        {
            if (t < stride)
                partial[t] += partial[t + stride];
            Group.Barrier();
        }
        if (t == 0)
            ILGPU.Atomic.Add(ref total[0], partial[0]);
    }

    static void IlgpuMandelbrot(ILGPU.Index2D p, int width, int height, ArrayView<int> iterations)
    {
        float cx = -2f + 3f * p.X / width, cy = -1.5f + 3f * p.Y / height;
        float x = 0, y = 0;
        int n = 0;
        while (n < 256 && x * x + y * y <= 4)
        {
            float t = x * x - y * y + cx;
            y = 2 * x * y + cy;
            x = t;
            n++;
        }
        iterations[p.Y * width + p.X] = n;
    }

    static void IlgpuTiledMatMul(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int n)
    {
        ArrayView<float> ta = SharedMemory.Allocate<float>(Tile * Tile);
        ArrayView<float> tb = SharedMemory.Allocate<float>(Tile * Tile);
        int tx = Group.IdxX, ty = Group.IdxY;
        int row = Grid.IdxY * Tile + ty, col = Grid.IdxX * Tile + tx;
        float sum = 0;
        for (int k0 = 0; k0 < n; k0 += Tile)
        {
            ta[ty * Tile + tx] = a[row * n + k0 + tx];
            tb[ty * Tile + tx] = b[(k0 + ty) * n + col];
            Group.Barrier();
            for (int k = 0; k < Tile; k++)
                sum += ta[ty * Tile + k] * tb[k * Tile + tx];
            Group.Barrier();
        }
        c[row * n + col] = sum;
    }

    /// <summary>ILGPU's way to a by-value "class": a struct.</summary>
    public readonly record struct IlgpuParticle(float X, float Y, float Mass);

    static void IlgpuGravity(ILGPU.Index1D i, IlgpuParticle source, ArrayView<float> xs, ArrayView<float> ys, ArrayView<float> pull)
    {
        float dx = source.X - xs[i], dy = source.Y - ys[i];
        pull[i] = source.Mass / (dx * dx + dy * dy + 1e-3f);
    }

    // ---- the comparison ------------------------------------------------------------------------
    /// <summary>One kernel written for our frontend and for ILGPU; <c>Id</c> is its file name in bench/cuda (<c>Id.cu</c>) and in <see cref="WriteFiles"/>'s output.</summary>
    sealed record Pair(string Id, string Name, Delegate Ours, string Ilgpu, bool IlgpuGrouped);

    static readonly Pair[] Pairs =
    [
        new("saxpy", "saxpy", Saxpy, nameof(IlgpuSaxpy), false),
        new("stencil2d", "2-D stencil", Stencil2D, nameof(IlgpuStencil2D), false),
        new("reduce", "shared-memory reduction + atomics", Reduce, nameof(IlgpuReduce), true),
        new("mandelbrot", "mandelbrot", Mandelbrot, nameof(IlgpuMandelbrot), false),
        new("matmul", "tiled matmul (16×16)", TiledMatMul, nameof(IlgpuTiledMatMul), true),
        new("gravity", "immutable jit class", Gravity, nameof(IlgpuGravity), false),
    ];

    /// <summary>Each pair's PTX for <paramref name="sm"/>: ours bounds-checked, ours unchecked, ILGPU's.</summary>
    static IEnumerable<(Pair Pair, string Ours, string Unchecked, string Ilgpu)> Compile(int sm)
    {
        var ours = new CudaTarget(new CudaOptions { ComputeCapability = sm });
        var unchecked_ = new CudaTarget(new CudaOptions { ComputeCapability = sm, BoundsChecks = false });
        using Context context = Context.Create(b => b.Default());
        var architecture = new CudaArchitecture(sm / 10, sm % 10);
        using var backend = new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_78, null!);
        foreach (Pair pair in Pairs)
        {
            MethodInfo ilgpu = typeof(PtxComparison).GetMethod(pair.Ilgpu, BindingFlags.NonPublic | BindingFlags.Static)!;
            EntryPointDescription entry = pair.IlgpuGrouped ? EntryPointDescription.FromExplicitlyGroupedKernel(ilgpu) : EntryPointDescription.FromImplicitlyGroupedKernel(ilgpu);
            var compiled = (PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty);
            yield return (pair, ours.InspectKernel(pair.Ours), unchecked_.InspectKernel(pair.Ours), compiled.PTXAssembly);
        }
    }

    public static int Run(string[] args)
    {
        int sm = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 80;
        if (Ptxas.Path is null)
        {
            Console.Error.WriteLine($"ptxas not found (looked in {Ptxas.SearchDescription}): run scripts/ensure-deps.sh");
            return 1;
        }
        Console.WriteLine($"| kernel (sm_{sm}) | SASS instructions: ours (bounds-checked) | ours (BoundsChecks = false) | ILGPU 1.5.3 | registers: ours (checked) | ours (unchecked) | ILGPU |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach ((Pair pair, string ours, string unchecked_, string ilgpu) in Compile(sm))
        {
            (int oursCount, int oursRegisters) = Measure(ours, sm);
            (int uncheckedCount, int uncheckedRegisters) = Measure(unchecked_, sm);
            (int theirsCount, int theirsRegisters) = Measure(ilgpu, sm);
            Console.WriteLine($"| {pair.Name} | {oursCount} | {uncheckedCount} | {theirsCount} | {oursRegisters} | {uncheckedRegisters} | {theirsRegisters} |");
        }
        return 0;
    }

    /// <summary>
    /// <c>ptx-files SM DIR</c>: each pair's PTX as files for the SASS comparison on a GPU machine
    /// (hw-tests/device-run.sh assembles them beside nvcc's build of bench/cuda/ID.cu):
    /// <c>ID.ours.ptx</c>, <c>ID.ours-unchecked.ptx</c>, <c>ID.ilgpu.ptx</c>, and <c>kernels.tsv</c> (id, name).
    /// </summary>
    public static int WriteFiles(string[] args)
    {
        if (args.Length != 3 || !int.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out int sm))
        {
            Console.Error.WriteLine("usage: ptx-files SM DIR");
            return 2;
        }
        Directory.CreateDirectory(args[2]);
        var names = new System.Text.StringBuilder();
        foreach ((Pair pair, string ours, string unchecked_, string ilgpu) in Compile(sm))
        {
            File.WriteAllText(Path.Combine(args[2], $"{pair.Id}.ours.ptx"), ours);
            File.WriteAllText(Path.Combine(args[2], $"{pair.Id}.ours-unchecked.ptx"), unchecked_);
            File.WriteAllText(Path.Combine(args[2], $"{pair.Id}.ilgpu.ptx"), ilgpu);
            names.Append(pair.Id).Append('\t').Append(pair.Name).Append('\n');
        }
        File.WriteAllText(Path.Combine(args[2], "kernels.tsv"), names.ToString());
        return 0;
    }

    /// <summary>SASS instructions (NOPs excluded) and registers of the module's one kernel.</summary>
    static (int Instructions, int Registers) Measure(string ptx, int sm)
    {
        (string resources, string sass) = Ptxas.Disassemble(ptx, sm);
        int registers = int.Parse(Registers().Match(resources).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int instructions = sass.Split('\n').Count(l => Instruction().IsMatch(l) && !l.Contains("NOP", StringComparison.Ordinal));
        return (instructions, registers);
    }

    [GeneratedRegex(@"Used (\d+) registers")]
    private static partial Regex Registers();

    [GeneratedRegex(@"/\*[0-9a-f]{4}\*/\s+[A-Z@]")]
    private static partial Regex Instruction();
}

/// <summary>A particle for the immutable-class kernel.</summary>
[JitClass]
public sealed class Particle(float x, float y, float mass)
{
#pragma warning disable CA1051 // jit classes are made of public fields
    public float X = x;
    public float Y = y;
    public float Mass = mass;
#pragma warning restore CA1051
}
