using System.Reflection;
using System.Reflection.Emit;
using Targets.Cuda;
using Targets.Cuda.Tests;
using Targets.Frontend.Il;

namespace Targets.HwTests;

/// <summary>
/// The kernels the suite launches, compiled ahead for the device's architecture into the compile
/// cache: the GPU machines have no LLVM, so the device run loads this PTX from the cache the bundle
/// carries (hw-tests/bundle.sh runs this class to fill it; the cuda target's <c>PtxCache</c>). Needs
/// no device. Where the cache already holds a kernel (the bundle's own run), nothing is compiled.
/// </summary>
public sealed class PrecompiledKernels
{
    /// <summary>
    /// The architectures to compile for: <c>TARGETS_HW_SM</c> (comma-separated, e.g. <c>80,90</c>),
    /// else 90 — Hopper, the H100 and H200 this project is lent. A device of another architecture
    /// finds no PTX for itself and its tests fail saying LLVM was not found.
    /// </summary>
    public static IReadOnlyList<int> Architectures
    {
        get
        {
            string list = Environment.GetEnvironmentVariable("TARGETS_HW_SM") is { Length: > 0 } chosen ? chosen : "90";
            var architectures = new List<int>();
            foreach (string sm in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(sm, System.Globalization.CultureInfo.InvariantCulture, out int number) || !Llvm.PtxOptions.MinimumPtxBySm.ContainsKey(number))
                    throw new ArgumentException($"TARGETS_HW_SM={list}: expected architectures LLVM 19 knows, comma-separated, e.g. 80,90 (known: {string.Join(", ", Llvm.PtxOptions.MinimumPtxBySm.Keys)}).");
                architectures.Add(number);
            }
            return architectures;
        }
    }

    /// <summary>Every kernel a test of this suite launches (checked against the tests' code below).</summary>
    public static IReadOnlyList<Delegate> Kernels { get; } =
    [
        CudaKernels.Saxpy, CudaKernels.Mandelbrot, CudaKernels.Waves, CudaKernels.BlockSum, CudaKernels.TiledMatMul,
        CudaKernels.Stencil, CudaKernels.FlagsAndLetters, CudaKernels.WarpSum, CudaKernels.WarpAllReduce,
        CudaKernels.Histogram, CudaKernels.OffByOne, CudaKernels.Divide, BodyKernels.Pull,
        StructKernels.Init, StructKernels.Step,
        StructKernels.Tuples, StructKernels.ComplexMandelbrot, // launched by StructKernelChecks, which the suite links but calls only for the first two
    ];

    [Fact]
    public void Every_kernel_has_ptx_for_the_bundles_architectures()
    {
        foreach (int sm in Architectures)
        {
            // The options a device of this architecture chooses by default (CudaTarget's ChoosePtx): the same key.
            var target = new CudaTarget(new CudaOptions { ComputeCapability = sm });
            foreach (Delegate kernel in Kernels)
            {
                string ptx = target.InspectKernel(kernel);
                Assert.Contains($".target sm_{sm}", ptx, StringComparison.Ordinal);
                // The bundle keeps a readable copy of what the device will load (TARGETS_HW_PTX_DIR).
                if (Environment.GetEnvironmentVariable("TARGETS_HW_PTX_DIR") is { Length: > 0 } folder)
                    File.WriteAllText(Path.Combine(Directory.CreateDirectory(folder).FullName, $"{kernel.Method.DeclaringType!.Name}.{kernel.Method.Name}.sm_{sm}.ptx"), ptx);
            }
        }
    }

    [Fact]
    public void Every_kernel_the_suite_launches_is_in_the_list()
    {
        var listed = Kernels.Select(k => k.Method).ToHashSet();
        Type[] kernelClasses = [typeof(CudaKernels), typeof(BodyKernels), typeof(StructKernels)];
        var launched = new HashSet<MethodInfo>();
        foreach (Type type in typeof(PrecompiledKernels).Assembly.GetTypes().Where(t => t != typeof(PrecompiledKernels)))
        {
            foreach (MethodBase method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                         .Cast<MethodBase>().Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)))
            {
                if (method.GetMethodBody()?.GetILAsByteArray() is not { } il)
                    continue;
                foreach (IlInstruction instruction in IlDecoder.Decode(il, (offset, why) => new BadImageFormatException($"{method.Name} IL_{offset:x4}: {why}")))
                {
                    // A kernel passed to a launch is a delegate: ldftn of the kernel's method.
                    if (instruction.OpCode == OpCodes.Ldftn && method.Module.ResolveMethod(instruction.Token) is MethodInfo target
                        && kernelClasses.Contains(target.DeclaringType))
                        launched.Add(target);
                }
            }
        }
        Assert.NotEmpty(launched);
        Assert.Empty(launched.Where(k => !listed.Contains(k)).Select(k => $"{k.DeclaringType!.Name}.{k.Name}"));
    }
}
