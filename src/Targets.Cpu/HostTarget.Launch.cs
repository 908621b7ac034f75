using System.Collections.Concurrent;
using System.Reflection;
using Targets.Cpu.Host;
using Targets.Frontend;
using Targets.Frontend.Ir;

namespace Targets.Cpu;

/// <summary>
/// Kernel launches on the host: the kernel compiled with its launcher (<see cref="KernelLauncher"/>),
/// whose loop over the extent is a Prange loop, so that it runs in order on cpu and across cores on
/// parallel. Arguments are checked against the kernel's parameters before anything runs.
/// </summary>
public abstract partial class HostTarget
{
    /// <summary>A compiled launcher: how to call it, and the kernel's rank and parameters for the checks.</summary>
    sealed record Launcher(Func<object?[], object?> Call, int Rank, HostSignature Signature);

    /// <summary>Launchers by kernel, options, layouts and the functions passed (null for a kernel that takes none).</summary>
    readonly ConcurrentDictionary<(CodeKey<MethodInfo, LayoutContext> Kernel, FunctionArguments? Functions), Lazy<Launcher>> launchers = new();

    public void Launch(Delegate kernel, int extent, params object?[] args) => Launch(kernel, 1, extent, 1, 1, args);

    public void Launch(Delegate kernel, long extent, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (extent > int.MaxValue && !KernelLauncher.TakesLongIndex(kernel.Method))
            throw new ArgumentOutOfRangeException(nameof(extent), extent, $"{kernel.Method.Name} takes an Index1D, which counts at most int.MaxValue items; take a LongIndex1D for more.");
        Launch(kernel, 1, extent, 1, 1, args);
    }

    public void Launch(Delegate kernel, (int X, int Y) extent, params object?[] args) => Launch(kernel, 2, extent.X, extent.Y, 1, args);

    public void Launch(Delegate kernel, (int X, int Y, int Z) extent, params object?[] args) => Launch(kernel, 3, extent.X, extent.Y, extent.Z, args);

    void Launch(Delegate kernel, int rank, long width, int height, int depth, object?[] args)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (kernel.Target is not null)
            throw new ArgumentException($"Expected a static kernel method; {kernel.Method.Name} is bound to an instance.", nameof(kernel));
        if (width < 0 || height < 0 || depth < 0)
            throw new ArgumentOutOfRangeException(nameof(kernel), $"Extents are sizes, zero or more; got ({width}, {height}, {depth}).");
        // A kernel that takes functions is compiled for those passed; its launcher takes the other arguments.
        FunctionArguments? functions = null;
        if (FunctionArguments.Takes(kernel.Method))
            (functions, args) = FunctionArguments.Split(kernel.Method, args, skip: 1);
        Launcher launcher = LauncherOf(kernel.Method, functions);
        string name = $"{kernel.Method.DeclaringType?.Name}.{kernel.Method.Name}";
        if (launcher.Rank != rank)
            throw new ArgumentException($"{name} takes an Index{launcher.Rank}D; launch it with a {launcher.Rank}-dimensional extent, not a {rank}-dimensional one.", nameof(kernel));
        List<IrType> parameters = launcher.Signature.Parameters.Skip(KernelLauncher.LeadingParameters).ToList();
        ParameterInfo[] declared = FunctionArguments.ValueParameters(kernel.Method)[1..];
        if (args.Length != parameters.Count)
            throw new ArgumentException($"{name} takes {parameters.Count} argument(s) after its index ({string.Join(", ", declared.Select(p => $"{p.ParameterType.Name} {p.Name}"))}), got {args.Length}.", nameof(args));
        args = [.. args];
        for (int n = 0; n < parameters.Count; n++)
        {
            Type expected = HostSignature.HostType(parameters[n], declared[n].ParameterType);
            if (args[n] is { } number && number.GetType().IsPrimitive && ImplicitConversion.Exists(number.GetType(), expected))
                args[n] = ImplicitConversion.Convert(number, expected); // as C# passes 2 for a float
            bool fits = args[n] is null ? !expected.IsValueType : expected.IsInstanceOfType(args[n]) && (!expected.IsArray || args[n]!.GetType() == expected);
            if (args[n] is JitObject box && parameters[n].JitClass?.IsAssignableFrom(box.Type.ClrType) != true)
                fits = false;
            if (!fits)
                throw new ArgumentException($"{name}: argument '{declared[n].Name}' must be {expected.Name}, got {(args[n] is null ? "null" : args[n]!.GetType().Name)}"
                    + (args[n] is { } v && v.GetType().IsPrimitive ? $", which does not convert implicitly to {expected.Name}." : "."), nameof(args));
        }
        long count = (long)width * height * depth;
        if (count == 0)
            return;
        // A long extent reaches the launcher as its count; its width matters only to 2-D and 3-D indices.
        launcher.Call([count, (int)Math.Min(width, int.MaxValue), height, .. args]);
    }

    Launcher LauncherOf(MethodInfo kernel, FunctionArguments? functions)
    {
        var key = (new CodeKey<MethodInfo, LayoutContext>(kernel, Effective(null), Layouts), functions);
        Lazy<Launcher> entry = launchers.GetOrAdd(key, k => new Lazy<Launcher>(() =>
        {
            (IrModule ir, nint address, _, _, _, _) = CompileCode(k.Kernel.Method, k.Kernel.Options, kernelLaunch: true, functions: k.Functions);
            var signature = HostSignature.Of(ir.Entry);
            if (signature.Uncallable is { } why)
                throw new ArgumentException(why + ".", nameof(kernel));
            return new Launcher(HostStubGenerator.Boxed(signature, new CompiledCode(address, SharedModule.Kept(), Layouts), Runtime), KernelLauncher.Validate(k.Kernel.Method), signature);
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            launchers.TryRemove(new KeyValuePair<(CodeKey<MethodInfo, LayoutContext>, FunctionArguments?), Lazy<Launcher>>(key, entry));
            throw;
        }
    }
}
