using System.Diagnostics;
using System.IO.Compression;

namespace Targets.Cli.Tests;

/// <summary>
/// The NuGet packages: <c>dotnet pack</c> of the solution makes one per src project (and the CLI as a
/// dotnet tool), each with the README, the licence and the repository commit (and, from a Release build
/// on linux-x64, ReadyToRun images); installed from a local folder feed into a fresh console project,
/// Targets.Cpu compiles and runs a function.
/// </summary>
public sealed class PackageTests
{
    static string Repository()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Targets.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Targets.sln not found above {AppContext.BaseDirectory}");
    }

    static (int Code, string Output) Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"dotnet {string.Join(' ', args)} timed out\n{output}");
        }
        return (process.ExitCode, output + error.Result);
    }

    [Fact]
    public void Packages_install_from_a_folder_feed_and_compile_a_function()
    {
        string work = Directory.CreateTempSubdirectory("targets-packages-").FullName;
        try
        {
            string feed = Path.Combine(work, "feed");
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
            var (code, output) = Dotnet(Repository(), "pack", "Targets.sln", "-c", configuration, "--no-build", "-o", feed);
            Assert.True(code == 0, output);
            string[] packages = [.. Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName)!];
            foreach (string id in new[] { "Targets.Frontend", "Targets.JitClass", "Targets.Llvm", "Targets.Nrt", "Targets.Cpu", "Targets.Parallel", "Targets.Cuda", "Targets.Cli" })
                Assert.Contains($"{id}.0.1.0.nupkg", packages);
            Assert.DoesNotContain(packages, p => p!.Contains("Tests", StringComparison.Ordinal));

            using (ZipArchive cpu = ZipFile.OpenRead(Path.Combine(feed, "Targets.Cpu.0.1.0.nupkg")))
            {
                Assert.NotNull(cpu.GetEntry("README.md"));
                Assert.NotNull(cpu.GetEntry("LICENSE"));
                Assert.NotNull(cpu.GetEntry("lib/net10.0/Targets.Cpu.xml")); // XML docs
                using var nuspec = new StreamReader(cpu.GetEntry("Targets.Cpu.nuspec")!.Open());
                string text = nuspec.ReadToEnd();
                Assert.Contains("<license type=\"expression\">MIT</license>", text);
                Assert.Contains("<repository type=\"git\"", text);
                Assert.Contains("libllvm19", text); // the note on the native dependency
                if (configuration == "Release" && System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier == "linux-x64")
                {
                    // Release packages carry ReadyToRun images (Directory.Build.targets): precompiled code beside the IL.
                    using var image = new MemoryStream();
                    using (Stream assembly = cpu.GetEntry("lib/net10.0/Targets.Cpu.dll")!.Open())
                        assembly.CopyTo(image);
                    image.Position = 0;
                    using var pe = new System.Reflection.PortableExecutable.PEReader(image);
                    Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "Targets.Cpu.dll in the package is not a ReadyToRun image");
                }
            }

            string app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            // Our packages from the folder feed; their third-party dependencies (ILGPU) from
            // the packages this build restored, as a user's would come from nuget.org.
            string restored = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
                ? folder
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <RestoreSources>{feed};{restored}</RestoreSources>
                    <RestorePackagesPath>{Path.Combine(work, "packages")}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Targets.Cpu" Version="0.1.0" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using Targets.Cpu;

                var dot = new CpuTarget().Compile(Code.Dot).AsDelegate<Func<double[], double[], double>>();
                Console.WriteLine($"dot = {dot([1, 2, 3], [4, 5, 6])}");

                static class Code
                {
                    public static double Dot(double[] x, double[] y)
                    {
                        double s = 0;
                        for (int i = 0; i < x.Length; i++)
                            s += x[i] * y[i];
                        return s;
                    }
                }
                """);
            (code, output) = Dotnet(app, "run", "-c", "Release");
            Assert.True(code == 0, output);
            Assert.Contains("dot = 32", output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
