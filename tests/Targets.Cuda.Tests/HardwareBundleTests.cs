using System.Diagnostics;
using System.Xml.Linq;

namespace Targets.Cuda.Tests;

/// <summary>
/// The hardware bundle's dry run: hw-tests/bundle.sh makes the bundle here, and hw-tests/device-run.sh
/// runs it as a GPU machine would — no <c>dotnet</c> on the PATH, no libLLVM to load — so a bundle that
/// lacks anything fails here, before a minute of a lent GPU is spent. Without a device every device
/// test skips saying so; the tests that need none pass, among them the one that loads each kernel's
/// PTX from the bundle's compile cache (without LLVM, a kernel missing there would fail).
/// </summary>
public sealed class HardwareBundleTests
{
    /// <summary>A script of the repository run by bash, with only <paramref name="only"/> for its environment when given.</summary>
    static ChildProcess.Result Run(string repository, string script, IReadOnlyDictionary<string, string>? only, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = repository };
        start.ArgumentList.Add(script);
        if (only is not null)
        {
            start.Environment.Clear();
            foreach ((string name, string value) in only)
                start.Environment[name] = value;
        }
        return ChildProcess.Run(start, timeout);
    }

    const string DotnetCalled = "dotnet was called: a GPU machine has none";

    /// <summary>
    /// A PATH whose <c>dotnet</c> is a stand-in that fails saying it was called (the system's folders
    /// hold the tools a GPU machine has too, and <c>dotnet</c> beside them: it cannot be left out alone).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    static string PathWithoutDotnet(DirectoryInfo scratch)
    {
        string shims = Directory.CreateDirectory(Path.Combine(scratch.FullName, "bin")).FullName;
        string stand = Path.Combine(shims, "dotnet");
        File.WriteAllText(stand, $"#!/bin/sh\necho '{DotnetCalled}' >&2\nexit 127\n");
        File.SetUnixFileMode(stand, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return shims + ":" + (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_bundle_runs_without_dotnet_or_llvm_as_far_as_no_cuda_device()
    {
        string repository = Repository.Root;
        (int built, string bundleLog) = Run(repository, "hw-tests/bundle.sh", null, TimeSpan.FromMinutes(8));
        Assert.True(built == 0, bundleLog);
        long bytes = new FileInfo(Path.Combine(repository, ".hw-bundle", "bundle.tar.xz")).Length;
        Assert.True(bytes <= 40L << 20, $"the bundle is {bytes >> 20} MiB; the device call carries 64 MiB with the working tree, and this project aims at 40");

        DirectoryInfo scratch = Directory.CreateTempSubdirectory("targets-hw-dry-run-");
        try
        {
            string path = PathWithoutDotnet(scratch);
            (int ran, string log) = Run(repository, "hw-tests/device-run.sh", new Dictionary<string, string>
            {
                ["PATH"] = path,
                ["HOME"] = scratch.FullName,
                ["OUT"] = Path.Combine(scratch.FullName, "out"),
                ["TARGETS_HW_WORK"] = Path.Combine(scratch.FullName, "work"),
                [Llvm.Interop.LlvmLibrary.PathVariable] = "/nonexistent/libLLVM.so.19.1",
            }, TimeSpan.FromMinutes(3));
            Assert.True(ran == 0, log);
            Assert.DoesNotContain(DotnetCalled, log, StringComparison.Ordinal);
            Assert.Contains("== device", log, StringComparison.Ordinal);
            Assert.Contains("== SASS comparison", log, StringComparison.Ordinal);

            XDocument results = XDocument.Load(Path.Combine(scratch.FullName, "out", "results.xml"));
            var tests = results.Descendants("test").Select(t => (Name: (string)t.Attribute("name")!, Result: (string)t.Attribute("result")!,
                Reason: (string?)t.Element("reason") ?? "")).ToList();
            Assert.NotEmpty(tests);
            Assert.All(tests, t => Assert.True(t.Result == "Pass" || (t.Result == "Skip" && t.Reason.StartsWith("no CUDA device: ", StringComparison.Ordinal)),
                $"{t.Name}: {t.Result} {t.Reason}\n{log}"));
            Assert.Contains(tests, t => t.Result == "Skip");
            Assert.Contains(tests, t => t.Name.EndsWith(".Every_kernel_has_ptx_for_the_bundles_architectures", StringComparison.Ordinal) && t.Result == "Pass");
            Assert.True(File.Exists(Path.Combine(scratch.FullName, "out", "sass.md")), log);
            Assert.True(new FileInfo(Path.Combine(scratch.FullName, "out", "ptx.tar.gz")).Length > 0, log);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
