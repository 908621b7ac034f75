using System.Diagnostics;

namespace Targets.Llvm;

/// <summary>
/// NVIDIA's PTX assembler, used to check emitted PTX on machines without a GPU. Looked up in
/// <c>TARGETS_PTXAS</c>, then the repository's <c>.tools/cuda</c> folder (filled by
/// <c>scripts/ensure-deps.sh</c>), then <c>$CUDA_HOME/bin</c>, then <c>PATH</c>.
/// </summary>
public static class Ptxas
{
    public const string PathVariable = "TARGETS_PTXAS";

    static readonly Lazy<string?> Found = new(Locate);

    /// <summary>The ptxas executable, or null when none was found.</summary>
    public static string? Path => Found.Value;

    /// <summary>Where <see cref="Path"/> looked, for messages that explain a skip.</summary>
    public static string SearchDescription =>
        $"${PathVariable}, <repo>/.tools/cuda/usr/bin/ptxas, $CUDA_HOME/bin/ptxas, PATH";

    static string? Locate()
    {
        if (TargetsSettings.Current.Ptxas is { } overridden)
            return File.Exists(overridden) ? overridden : null;
        foreach (string candidate in Candidates())
        {
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>
    /// The repository's <c>.tools/cuda</c> folder (where <c>scripts/ensure-deps.sh</c> unpacks
    /// NVIDIA's toolkit .deb), found by walking up from the running assembly to <c>Targets.sln</c>; null outside a checkout.
    /// </summary>
    public static string? FetchedToolkit { get; } = LocateFetchedToolkit();

    static string? LocateFetchedToolkit()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Targets.sln")))
                return System.IO.Path.Combine(dir.FullName, ".tools", "cuda");
        }
        return null;
    }

    static IEnumerable<string> Candidates()
    {
        if (FetchedToolkit is { } fetched)
            yield return System.IO.Path.Combine(fetched, "usr", "bin", "ptxas");
        if (TargetsSettings.Current.CudaHome is { } cudaHome)
            yield return System.IO.Path.Combine(cudaHome, "bin", "ptxas");
        foreach (string dir in TargetsSettings.Current.SearchPath)
            yield return System.IO.Path.Combine(dir, "ptxas");
    }

    /// <summary>
    /// Assembles <paramref name="ptx"/> for <c>sm_<paramref name="sm"/></c>. Returns null when it
    /// assembles, otherwise ptxas's diagnostics. Throws when ptxas is not installed.
    /// </summary>
    public static string? Check(string ptx, int sm)
    {
        ArgumentNullException.ThrowIfNull(ptx);
        string tool = Path ?? throw new InvalidOperationException($"ptxas was not found (looked in {SearchDescription}).");
        return InTemporaryFolder(dir =>
        {
            string input = System.IO.Path.Combine(dir, "module.ptx");
            File.WriteAllText(input, ptx);
            (int code, string output) = Run(tool, $"-arch=sm_{sm}", input, "-o", System.IO.Path.Combine(dir, "module.cubin"));
            return code == 0 ? null : $"ptxas exited with {code}: {output}";
        });
    }

    /// <summary>
    /// Assembles <paramref name="ptx"/> for <c>sm_<paramref name="sm"/></c> with ptxas's resource
    /// report (<c>-v</c>: registers, shared and constant memory) and disassembles the cubin with
    /// cuobjdump (beside ptxas) into SASS. Throws, with the tool's output, when either is missing or fails.
    /// </summary>
    public static (string Resources, string Sass) Disassemble(string ptx, int sm)
    {
        ArgumentNullException.ThrowIfNull(ptx);
        string tool = Path ?? throw new InvalidOperationException($"ptxas was not found (looked in {SearchDescription}).");
        string cuobjdump = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(tool)!, "cuobjdump");
        if (!File.Exists(cuobjdump))
            throw new InvalidOperationException($"cuobjdump was not found beside ptxas ({cuobjdump}).");
        return InTemporaryFolder(dir =>
        {
            string input = System.IO.Path.Combine(dir, "module.ptx"), cubin = System.IO.Path.Combine(dir, "module.cubin");
            File.WriteAllText(input, ptx);
            (int code, string resources) = Run(tool, "-v", $"-arch=sm_{sm}", input, "-o", cubin);
            if (code != 0)
                throw new InvalidOperationException($"ptxas exited with {code}: {resources}");
            (code, string sass) = Run(cuobjdump, "-sass", cubin);
            return code == 0 ? (resources, sass) : throw new InvalidOperationException($"cuobjdump exited with {code}: {sass}");
        });
    }

    static T InTemporaryFolder<T>(Func<string, T> work)
    {
        string dir = Directory.CreateTempSubdirectory("targets-ptxas-").FullName;
        try
        {
            return work(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs a tool to completion: its exit code and everything it printed (stdout, then stderr).</summary>
    static (int Code, string Output) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
