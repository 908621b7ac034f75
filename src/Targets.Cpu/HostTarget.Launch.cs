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
    /// <summary>
    /// A compiled launcher: how to call it, the kernel's rank, and what each launch checks its arguments
    /// against — the kernel's value parameters after its index, as compiled and as declared, and the .NET
    /// type each argument must have — worked out once, when the launcher is made, not on every launch.
    /// </summary>
    sealed record CompiledLauncher(Func<object?[], object?> Call, int Rank, string Name, IrType[] Parameters, ParameterInfo[] Declared, Type[] Expected,
        HostSignature Signature, CompiledCode Code);

    /// <summary>Launchers by kernel, options, layouts and the functions passed (null for a kernel that takes none).</summary>
    readonly ConcurrentDictionary<(CodeKey<MethodInfo, LayoutContext> Kernel, FunctionArguments? Functions), Lazy<CompiledLauncher>> launchers = new();

    /// <summary>
    /// The launchers of kernels that take no functions, by kernel and NRT debug mode (the only part of the
    /// options a launch can change): a launch's one lookup hashes a method, not a key of options and layouts.
    /// </summary>
    readonly ConcurrentDictionary<(MethodInfo Kernel, bool Debug), CompiledLauncher> plainLaunchers = new();

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
        CompileOptions options = Effective(null);
        if (!plainLaunchers.TryGetValue((kernel.Method, options.NrtDebug), out CompiledLauncher? launcher))
        {
            // A kernel that takes functions is compiled for those passed; its launcher takes the other arguments.
            FunctionArguments? functions = null;
            if (FunctionArguments.Takes(kernel.Method))
                (functions, args) = FunctionArguments.Split(kernel.Method, args, skip: 1);
            launcher = LauncherOf(kernel.Method, options, functions);
            if (functions is null)
                plainLaunchers.TryAdd((kernel.Method, options.NrtDebug), launcher);
        }
        if (launcher.Rank != rank)
            throw new ArgumentException($"{launcher.Name} takes an Index{launcher.Rank}D; launch it with a {launcher.Rank}-dimensional extent, not a {rank}-dimensional one.", nameof(kernel));
        if (args.Length != launcher.Parameters.Length)
            throw new ArgumentException($"{launcher.Name} takes {launcher.Parameters.Length} argument(s) after its index ({string.Join(", ", launcher.Declared.Select(p => $"{p.ParameterType.Name} {p.Name}"))}), got {args.Length}.", nameof(args));
        // The launcher's arguments: the extent's count, width and height, then the kernel's, converted where C# would.
        var call = new object?[KernelLauncher.LeadingParameters + args.Length];
        for (int n = 0; n < args.Length; n++)
        {
            Type expected = launcher.Expected[n];
            object? argument = args[n];
            if (argument is { } number && number.GetType().IsPrimitive && number.GetType() != expected && ImplicitConversion.Exists(number.GetType(), expected))
                argument = ImplicitConversion.Convert(number, expected); // as C# passes 2 for a float
            bool fits = argument is null ? !expected.IsValueType : expected.IsInstanceOfType(argument) && (!expected.IsArray || argument.GetType() == expected);
            if (argument is JitObject box && launcher.Parameters[n].JitClass?.IsAssignableFrom(box.Type.ClrType) != true)
                fits = false;
            if (!fits)
                throw new ArgumentException($"{launcher.Name}: argument '{launcher.Declared[n].Name}' must be {expected.Name}, got {(argument is null ? "null" : argument.GetType().Name)}"
                    + (argument is { } v && v.GetType().IsPrimitive ? $", which does not convert implicitly to {expected.Name}." : "."), nameof(args));
            call[KernelLauncher.LeadingParameters + n] = argument;
        }
        long count = (long)width * height * depth;
        if (count == 0)
            return;
        // A long extent reaches the launcher as its count; its width matters only to 2-D and 3-D indices.
        call[0] = count;
        call[1] = (int)Math.Min(width, int.MaxValue);
        call[2] = height;
        launcher.Call(call);
    }

    /// <summary>
    /// The typed launcher (<see cref="ITarget.Launcher{TLauncher}"/>): a stub that turns the extent into the
    /// launcher's count, width and height (checked as <c>Launch</c> checks them) and passes the arguments as a typed
    /// delegate passes them, without boxing; made once per kernel and delegate type.
    /// </summary>
    public TLauncher Launcher<TLauncher>(Delegate kernel) where TLauncher : Delegate
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (kernel.Target is not null)
            throw new ArgumentException($"Expected a static kernel method; {kernel.Method.Name} is bound to an instance.", nameof(kernel));
        MethodInfo invoke = TypedLaunchers.Invoke(typeof(TLauncher), kernel.Method);
        if (FunctionArguments.Takes(kernel.Method))
            throw new ArgumentException($"{kernel.Method.Name} takes functions: launch it with Launch, which compiles it for the functions passed.", nameof(kernel));
        CompiledLauncher launcher = LauncherOf(kernel.Method, Effective(null), null);
        Type[] actual = HostSignature.ParameterTypes(invoke);
        Type extent = actual[0];
        string wanted = $"void ({(launcher.Rank == 1 ? "int or long" : launcher.Rank == 2 ? "(int, int)" : "(int, int, int)")} extent"
            + string.Concat(launcher.Declared.Select((p, n) => $", {launcher.Expected[n].Name} {p.Name}")) + ")";
        if (TypedLaunchers.RankOf(extent) != launcher.Rank || !actual.AsSpan(1).SequenceEqual(launcher.Expected))
            throw new ArgumentException($"Expected a delegate type with the signature {wanted} to launch {launcher.Name}, got {typeof(TLauncher).Name}.", nameof(TLauncher));
        return (TLauncher)HostStubGenerator.TypedLaunch(typeof(TLauncher), launcher.Signature, launcher.Code, Runtime, KernelLauncher.TakesLongIndex(kernel.Method));
    }

    CompiledLauncher LauncherOf(MethodInfo kernel, CompileOptions options, FunctionArguments? functions)
    {
        var key = (new CodeKey<MethodInfo, LayoutContext>(kernel, options, Layouts), functions);
        Lazy<CompiledLauncher> entry = launchers.GetOrAdd(key, k => new Lazy<CompiledLauncher>(() =>
        {
            (IrModule ir, nint address, _, _, _, _) = CompileCode(k.Kernel.Method, k.Kernel.Options, kernelLaunch: true, functions: k.Functions);
            var signature = HostSignature.Of(ir.Entry);
            if (signature.Uncallable is { } why)
                throw new ArgumentException(why + ".", nameof(kernel));
            IrType[] parameters = [.. signature.Parameters.Skip(KernelLauncher.LeadingParameters)];
            ParameterInfo[] declared = FunctionArguments.ValueParameters(k.Kernel.Method)[1..];
            var expected = new Type[parameters.Length];
            for (int n = 0; n < expected.Length; n++)
                expected[n] = HostSignature.HostType(parameters[n], declared[n].ParameterType);
            var code = new CompiledCode(address, SharedModule.Kept(), Layouts);
            return new CompiledLauncher(HostStubGenerator.Boxed(signature, code, Runtime), KernelLauncher.Validate(k.Kernel.Method),
                $"{k.Kernel.Method.DeclaringType?.Name}.{k.Kernel.Method.Name}", parameters, declared, expected, signature, code);
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            launchers.TryRemove(new KeyValuePair<(CodeKey<MethodInfo, LayoutContext>, FunctionArguments?), Lazy<CompiledLauncher>>(key, entry));
            throw;
        }
    }
}
