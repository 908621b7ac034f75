using System.Reflection;
using System.Runtime.Loader;
using Targets.Cpu;
using Targets.Cuda;
using Targets.Llvm;
using Targets.Parallel;

namespace Targets.Cli;

/// <summary>
/// <c>targets inspect ASSEMBLY METHOD --target T --stage S</c>: compiles one static method of an
/// assembly for a target and prints a stage of it. On cuda a void method is compiled as a kernel
/// (what a launch runs: its <c>.entry</c>), any other as a function; <c>sass</c> assembles the PTX
/// with ptxas and disassembles it with cuobjdump (no GPU needed). What the compiler refuses is
/// printed with its file:line, and the exit code is 1.
/// </summary>
internal static class InspectCommand
{
    internal static readonly string[] Stages = ["ir", "llvm", "opt", "asm", "ptx", "sass", "timings"];

    internal static int Run(string assemblyPath, string methodName, string targetName, string stageName, TextWriter output, TextWriter error)
    {
        if (!File.Exists(assemblyPath))
        {
            error.WriteLine($"targets inspect: no assembly at '{assemblyPath}'");
            return 2;
        }
        int dot = methodName.LastIndexOf('.');
        if (dot <= 0)
        {
            error.WriteLine($"targets inspect: expected Namespace.Type.Method, got '{methodName}'");
            return 2;
        }
        Assembly assembly;
        try
        {
            assembly = Loaded(assemblyPath) ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            error.WriteLine($"targets inspect: '{assemblyPath}' is not a .NET assembly this runtime can load ({e.Message})");
            return 2;
        }
        catch (FileNotFoundException e)
        {
            // The runtime refuses a second copy of an assembly it holds (the framework's own, e.g. System.Private.CoreLib) from another path.
            error.WriteLine($"targets inspect: '{assemblyPath}' could not be loaded beside the runtime's own assemblies ({e.Message}); inspect the runtime's copy by passing its path");
            return 2;
        }
        string typeName = methodName[..dot], name = methodName[(dot + 1)..];
        Type? type = assembly.GetType(typeName) ?? assembly.GetType(typeName.Replace('.', '+'));
        MethodInfo[] candidates = type?.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(m => m.Name == name).ToArray() ?? [];
        if (candidates.Length != 1)
        {
            error.WriteLine(type is null
                ? $"targets inspect: {assembly.GetName().Name} has no type {typeName}"
                : candidates.Length == 0 ? $"targets inspect: {typeName} has no static method {name}" : $"targets inspect: {typeName}.{name} is overloaded ({candidates.Length} methods); inspect needs one");
            return 2;
        }
        try
        {
            output.WriteLine(Text(candidates[0], targetName, stageName));
            return 0;
        }
        catch (CompilationException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"targets inspect: {e.Message}");
            return 2;
        }
    }

    static string Text(MethodInfo method, string targetName, string stageName)
    {
        if (targetName == "cuda")
        {
            var cuda = new CudaTarget();
            Stage stage = stageName == "sass" ? Stage.Ptx : StageOf(stageName);
            string text = method.ReturnType == typeof(void)
                ? cuda.InspectKernel(Delegate.CreateDelegate(System.Linq.Expressions.Expression.GetDelegateType([.. method.GetParameters().Select(p => p.ParameterType), typeof(void)]), method), stage)
                : cuda.Compile(method).Inspect(stage);
            return stageName == "sass" ? Sass(text, cuda.Ptx.Sm) : text;
        }
        if (stageName is "ptx" or "sass")
            throw new ArgumentException($"{stageName} is a cuda stage; {targetName} has ir, llvm, opt, asm and timings.");
        ITarget target = targetName == "parallel" ? new ParallelTarget() : new CpuTarget();
        // Inspect shows the pipeline: compiled now, not loaded from the persistent cache (whose hits have no stages to time).
        return target.Compile(method, CompileOptions.Default with { Cache = false }).Inspect(StageOf(stageName));
    }

    static Stage StageOf(string name) => name switch
    {
        "ir" => Stage.Ir,
        "llvm" => Stage.Llvm,
        "opt" => Stage.OptimizedLlvm,
        "asm" => Stage.Asm,
        "ptx" => Stage.Ptx,
        _ => Stage.Timings,
    };

    /// <summary>The SASS of <paramref name="ptx"/>: ptxas, then cuobjdump -sass.</summary>
    static string Sass(string ptx, int sm)
    {
        if (Ptxas.Path is null)
            throw new ArgumentException($"the sass stage needs ptxas, which was not found (looked in {Ptxas.SearchDescription})");
        try
        {
            return Ptxas.Disassemble(ptx, sm).Sass;
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"the sass stage failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// The assembly at <paramref name="path"/> when the default context already holds it (the
    /// framework's assemblies, this tool's own): loading it again from its path would fail.
    /// </summary>
    static Assembly? Loaded(string path)
    {
        AssemblyName name;
        try
        {
            name = AssemblyName.GetAssemblyName(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ArgumentException)
        {
            return null; // LoadFromAssemblyPath says what is wrong
        }
        foreach (Assembly loaded in AssemblyLoadContext.Default.Assemblies)
        {
            AssemblyName held = loaded.GetName();
            if (string.Equals(held.Name, name.Name, StringComparison.OrdinalIgnoreCase) && held.Version == name.Version)
                return loaded;
        }
        return null;
    }
}
