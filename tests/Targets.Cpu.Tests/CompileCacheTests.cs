using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Targets.Cache;
using Targets.Cpu.Cache;
using Xunit.Abstractions;

namespace Targets.Cpu.Tests;

/// <summary>
/// The persistent compile cache: a hit gives the same code and results as a compilation, in this
/// process and in a fresh one (which then never loads LLVM); every change to what the code means
/// misses; corrupt entries, unwritable directories and a full cache never stop a compilation; two
/// processes can fill one directory at once. Functions are built with Roslyn, each build loaded as
/// a new assembly, so "the same code" and "changed code" are real assemblies, as after a rebuild.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // the cache's loader and its ownership rules are x86-64 Linux's
public sealed class CompileCacheTests : NrtLeakCheck, IDisposable
{
    readonly string directory = System.IO.Directory.CreateTempSubdirectory("targets-cache-test-").FullName;
    readonly string previous = CompileCache.Directory;
    readonly List<string> warnings = [];
    readonly ITestOutputHelper output;

    public CompileCacheTests(ITestOutputHelper output)
    {
        this.output = output;
        // This assembly runs its tests one at a time, so moving the process's cache is safe here.
        CompileCache.Directory = directory;
        CompileCache.Warning += warnings.Add;
    }

    void IDisposable.Dispose()
    {
        CompileCache.Warning -= warnings.Add;
        CompileCache.Directory = previous;
        CompileCache.SizeLimit = 1L << 30;
        System.IO.Directory.Delete(directory, recursive: true);
        Dispose();
    }

    const string Template = """
        using Targets;

        [JitClass]
        public class Cell
        {
            FIELDS
            public Cell? Next;
            public Cell(long value, Cell? next) { Value = value; Next = next; }
        }

        public struct Pair
        {
            PAIRFIELDS
            public long B;
        }

        public enum Kind : KINDTYPE { One = 1, Two = 2 }

        public static class Code
        {
            static readonly long Scale = SCALE;
            static Kind Pick(long n) => n > 5 ? Kind.Two : Kind.One;
            static long Step(long x) => x + STEP;

            public static long Run(long n)
            {
                Cell? list = null;
                for (long i = 0; i < n; i++)
                    list = new Cell(Step(i) * Scale, list);
                long sum = 0;
                for (var p = list; p != null; p = p.Next)
                    sum += p.Value;
                var pair = new Pair();
                pair.B = n;
                return sum + CONSTANT + pair.B + (long)Pick(n);
            }
        }
        """;

    /// <summary>A new assembly holding <c>Code.Run</c>, with the given pieces of source.</summary>
    static MethodInfo Build(string scale = "2", string step = "1", string constant = "0", string fields = "public long Value;",
        string pairFields = "public long A;", string kind = "int")
    {
        string source = Template.Replace("SCALE", scale, StringComparison.Ordinal).Replace("STEP", step, StringComparison.Ordinal)
            .Replace("CONSTANT", constant, StringComparison.Ordinal).Replace("PAIRFIELDS", pairFields, StringComparison.Ordinal)
            .Replace("FIELDS", fields, StringComparison.Ordinal).Replace("KINDTYPE", kind, StringComparison.Ordinal);
        return BuildSource(source);
    }

    /// <summary>A new assembly from <paramref name="source"/>: its <c>Code.Run</c>.</summary>
    static MethodInfo BuildSource(string source)
    {
        var compilation = CSharpCompilation.Create("cached", [CSharpSyntaxTree.ParseText(source)],
            [.. ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal))
                .Select(p => MetadataReference.CreateFromFile(p)),
             MetadataReference.CreateFromFile(typeof(JitClassAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return Assembly.Load(image.ToArray()).GetType("Code")!.GetMethod("Run")!;
    }

    static bool Hit(CompiledFunction f) => f.Timings.Phases.Any(p => p.Phase == "cache: load object");

    static bool Compiled(CompiledFunction f) => f.Timings.Phases.Any(p => p.Phase.StartsWith("LLVM optimise", StringComparison.Ordinal));

    /// <summary>Compiles <paramref name="run"/> on a new target, checks it against .NET, and says whether it came from the cache.</summary>
    static bool CompileAndCheck(MethodInfo run, long n = 100)
    {
        using var cpu = new CpuTarget();
        using CompiledFunction f = cpu.Compile(run);
        Assert.True(Hit(f) != Compiled(f), f.Timings.ToString());
        Assert.Equal((long)run.Invoke(null, [n])!, f.AsDelegate<Func<long, long>>()(n));
        return Hit(f);
    }

    [Fact]
    public void The_same_code_in_a_new_assembly_is_a_hit_with_the_same_results_and_pass_counts()
    {
        using var cpu = new CpuTarget();
        using CompiledFunction first = cpu.Compile(Build());
        using CompiledFunction second = new CpuTarget().Compile(Build());
        Assert.True(Compiled(first), first.Timings.ToString());
        Assert.True(Hit(second), second.Timings.ToString());
        Assert.Equal(first.AsDelegate<Func<long, long>>()(1000), second.AsDelegate<Func<long, long>>()(1000));
        var (compiledCounts, loadedCounts) = (((CpuCompiledFunction)first).PassCounts, ((CpuCompiledFunction)second).PassCounts);
        Assert.Equal(compiledCounts.Keys, loadedCounts.Keys);
        Assert.All(compiledCounts, pass => Assert.Equal(pass.Value, loadedCounts[pass.Key]));
        Assert.Contains("Code.Run", second.Inspect(Stage.Ir), StringComparison.Ordinal); // stages are made on demand, by the frontend
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_hit_calls_brief_code_without_the_transition_as_the_compilation_did()
    {
        const string brief = "public static class Code { public static long Run(long n) => checked(n * 3 + 1); }";
        using var cpu = new CpuTarget();
        using CompiledFunction first = cpu.Compile(BuildSource(brief));
        using CompiledFunction second = new CpuTarget().Compile(BuildSource(brief));
        Assert.True(Compiled(first) && Hit(second), second.Timings.ToString());
        Assert.True(((CpuCompiledFunction)first).CallsWithoutTransition);
        Assert.True(((CpuCompiledFunction)second).CallsWithoutTransition);
        var run = second.AsDelegate<Func<long, long>>();
        Assert.Equal(301, run(100));
        Assert.Throws<OverflowException>(() => run(long.MaxValue / 2));
        // Code with loops is not brief, from the cache either.
        Assert.False(CompileAndCheck(Build()));
        using CompiledFunction looped = new CpuTarget().Compile(Build());
        Assert.True(Hit(looped) && !((CpuCompiledFunction)looped).CallsWithoutTransition);
    }

    [Fact]
    public void Tiered_code_whose_optimised_code_is_cached_starts_at_the_top_tier()
    {
        var tiered = new CompileOptions { Tier = CompileTier.Tiered };
        using var cpu = new CpuTarget();
        var first = (CpuCompiledFunction)cpu.Compile(Build(constant: "41"), tiered);
        Assert.True(first.WaitForTopTier(TimeSpan.FromMinutes(2)) && first.Tier == CompileTier.Optimized);
        // A new assembly of the same code (no in-process sharing): the tier-up thread's optimised code is on disk.
        MethodInfo again = Build(constant: "41");
        using var other = new CpuTarget();
        var second = (CpuCompiledFunction)other.Compile(again, tiered);
        Assert.Equal(CompileTier.Optimized, second.Tier);
        Assert.True(Hit(second), second.Timings.ToString());
        Assert.Equal((long)again.Invoke(null, [100L])!, second.AsDelegate<Func<long, long>>()(100));
        // The quick tier is never kept.
        using (var quick = new CpuTarget())
            Assert.True(Compiled(quick.Compile(Build(constant: "43"), new CompileOptions { Tier = CompileTier.Quick })));
        using (var quick = new CpuTarget())
            Assert.True(Compiled(quick.Compile(Build(constant: "43"), new CompileOptions { Tier = CompileTier.Quick })));
    }

    [Fact]
    public void A_changed_constant_callee_static_readonly_value_jit_class_struct_or_enum_misses()
    {
        Assert.False(CompileAndCheck(Build()));
        Assert.False(CompileAndCheck(Build(constant: "7")));
        Assert.False(CompileAndCheck(Build(step: "3")));
        Assert.False(CompileAndCheck(Build(scale: "5")));
        Assert.False(CompileAndCheck(Build(fields: "public int Tag; public long Value;")));
        Assert.False(CompileAndCheck(Build(pairFields: "public int Extra; public long A;"))); // a struct's layout: a field no method names moves B
        Assert.False(CompileAndCheck(Build(kind: "short")));                                  // an enum's underlying type
        // …and each of them is now a hit.
        Assert.True(CompileAndCheck(Build()));
        Assert.True(CompileAndCheck(Build(constant: "7")));
        Assert.True(CompileAndCheck(Build(step: "3")));
        Assert.True(CompileAndCheck(Build(scale: "5")));
        Assert.True(CompileAndCheck(Build(fields: "public int Tag; public long Value;")));
        Assert.True(CompileAndCheck(Build(pairFields: "public int Extra; public long A;")));
        Assert.True(CompileAndCheck(Build(kind: "short")));
    }

    [Fact]
    public void Different_options_and_targets_miss()
    {
        MethodInfo run = Build();
        Assert.False(CompileAndCheck(run));
        using (var cpu = new CpuTarget())
        using (CompiledFunction unoptimised = cpu.Compile(Build(), new CompileOptions { Optimize = false }))
            Assert.True(Compiled(unoptimised));
        using (var cpu = new CpuTarget())
        using (CompiledFunction unpruned = cpu.Compile(Build(), new CompileOptions { RefcountPruning = RefcountPruning.None }))
            Assert.True(Compiled(unpruned));
    }

    /// <summary>
    /// The key hashes the options field by field: one added to <see cref="CompileOptions"/> must be
    /// added there too, or two compilations that differ in it would share an entry. Every settable
    /// option, changed alone, must change the key (except <c>Cache</c>: only cacheable compilations
    /// have keys; and <c>Tier</c> changes it only for the quick code, tiered code's top tier being the default's).
    /// </summary>
    [Fact]
    public void Every_compile_option_is_in_the_key()
    {
        MethodInfo run = Build();
        var layouts = new LayoutContext();
        string Key(CompileOptions options) => CacheKey.Of(run, options, "cpu/0", layouts)!.Hash;
        string plain = Key(CompileOptions.Default);
        MethodInfo clone = typeof(CompileOptions).GetMethod("<Clone>$")!;
        PropertyInfo[] options = typeof(CompileOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        Assert.True(options.Length >= 5, "CompileOptions' properties were not found");
        foreach (PropertyInfo option in options.Where(p => p.CanWrite && p.Name != nameof(CompileOptions.Cache)))
        {
            var changed = (CompileOptions)clone.Invoke(CompileOptions.Default, null)!;
            object? value = option.GetValue(changed);
            object other = value switch
            {
                bool b => !b,
                RefcountPruning p => p == RefcountPruning.None ? RefcountPruning.All : RefcountPruning.None,
                CompileTier => CompileTier.Quick,
                _ => throw new Xunit.Sdk.XunitException($"CompileOptions.{option.Name} is of a type this test does not know how to change: add a case (and make sure the key covers it)"),
            };
            option.SetValue(changed, other);
            Assert.NotEqual(changed, CompileOptions.Default);
            Assert.True(plain != Key(changed), $"CompileOptions.{option.Name} does not change the cache key");
        }
        // Tiered code's top tier is the optimised code: it shares the default's entry, so it starts there.
        Assert.Equal(plain, Key(CompileOptions.Default with { Tier = CompileTier.Tiered }));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("foreign")]
    [InlineData("empty")]
    public void A_corrupt_entry_is_refused_reported_recompiled_and_replaced(string damage)
    {
        string entry = FunctionEntry(NewEntries(() => Assert.False(CompileAndCheck(Build()))));
        string other = FunctionEntry(NewEntries(() => Assert.False(CompileAndCheck(Build(constant: "99")))));
        byte[] bytes = File.ReadAllBytes(entry);
        File.WriteAllBytes(entry, damage switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            "flipped" => [.. bytes[..(bytes.Length / 2)], (byte)(bytes[bytes.Length / 2] ^ 0x40), .. bytes[(bytes.Length / 2 + 1)..]],
            "foreign" => File.ReadAllBytes(other), // an intact entry, for another key
            _ => [],
        });
        long rejected = CompileCache.Counters.Rejected;
        Assert.False(CompileAndCheck(Build()));
        Assert.True(CompileCache.Counters.Rejected > rejected);
        Assert.Contains(warnings, w => w.Contains("refused", StringComparison.Ordinal));
        Assert.True(CompileAndCheck(Build())); // replaced by an intact entry
    }

    /// <summary>
    /// Issue 32: an entry path that is not an owned regular file — a link to /dev/zero (once: "Out of
    /// memory" and SIGABRT), a FIFO (once: a read that never returned), a directory, a link to another
    /// intact entry — is refused at once, removed and compiled again. In a child process with a time
    /// limit: the old behaviours killed or hung the process.
    /// </summary>
    [Theory]
    [InlineData("link to /dev/zero")]
    [InlineData("fifo")]
    [InlineData("directory")]
    [InlineData("link to an intact entry")]
    public void An_entry_that_is_not_a_regular_file_is_refused_without_blocking(string kind)
    {
        var result = ChildProcess.Run(typeof(EntryKindProbe), nameof(EntryKindProbe.Run), TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["TARGETS_TEST_ENTRY_KIND"] = kind });
        Assert.True(result.ExitCode == 0, $"child process exited with {result.ExitCode}:\n{result.Output}");
        Assert.Contains("entry kind: all checks passed", result.Output, StringComparison.Ordinal);
    }

    /// <summary>Issue 32: entries and a directory other users may write (or own) are not trusted with code: as OpenSSH's StrictModes.</summary>
    [Fact]
    public void Entries_and_directories_others_may_write_are_not_used()
    {
        string entry = FunctionEntry(NewEntries(() => Assert.False(CompileAndCheck(Build()))));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(entry)); // written 0600
        File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        long rejected = CompileCache.Counters.Rejected;
        Assert.False(CompileAndCheck(Build()));
        Assert.True(CompileCache.Counters.Rejected > rejected);
        Assert.Contains(warnings, w => w.Contains("group or other users may write it", StringComparison.Ordinal));
        Assert.True(CompileAndCheck(Build())); // the replacement is 0600 again

        // Another user's entry: only root can make one here (CI runs as root); elsewhere this part says it did not run.
        if (Environment.UserName == "root")
        {
            string owned = FunctionEntry([.. System.IO.Directory.GetFiles(directory, "*.tgc")]);
            using (var chown = System.Diagnostics.Process.Start("chown", ["65534", owned]))
                chown.WaitForExit();
            rejected = CompileCache.Counters.Rejected;
            Assert.False(CompileAndCheck(Build()));
            Assert.True(CompileCache.Counters.Rejected > rejected);
            Assert.Contains(warnings, w => w.Contains("it is owned by user 65534", StringComparison.Ordinal));
        }
        else
        {
            output.WriteLine("not root: the check of an entry another user owns did not run (it needs chown)");
        }

        UnixFileMode mode = File.GetUnixFileMode(directory);
        try
        {
            File.SetUnixFileMode(directory, mode | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
            CompileCache.Directory = directory; // checked again
            Assert.False(CompileCache.Enabled);
            Assert.Contains("may write it", CompileCache.Info().Off);
            Assert.Contains(warnings, w => w.Contains("the compile cache is off for this process", StringComparison.Ordinal) && w.Contains("chmod 700", StringComparison.Ordinal));
            Assert.False(CompileAndCheck(Build())); // compiled, not loaded from there
        }
        finally
        {
            File.SetUnixFileMode(directory, mode);
            CompileCache.Directory = directory;
        }
        Assert.True(CompileCache.Enabled);
    }

    /// <summary>A new cache directory is made private (0700).</summary>
    [Fact]
    public void A_new_cache_directory_is_private()
    {
        string fresh = Path.Combine(directory, "fresh");
        CompileCache.Directory = fresh;
        Assert.False(CompileAndCheck(Build()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fresh));
    }

    /// <summary>
    /// Issue 32: the loader fuzzed with real entries, damaged and their checksums recomputed (in a
    /// child process with a time limit: a crash or a hang fails the test, not the run): every load
    /// either succeeds or is refused as <see cref="InvalidDataException"/>/<see cref="NotSupportedException"/>,
    /// and a damaged entry under a compile is a miss, never an exception out of <c>Compile</c>.
    /// </summary>
    [Fact]
    public void The_loader_refuses_damaged_objects_and_never_crashes()
    {
        var result = ChildProcess.Run(typeof(LoaderFuzzProbe), nameof(LoaderFuzzProbe.Run), TimeSpan.FromMinutes(4));
        Assert.True(result.ExitCode == 0, $"child process exited with {result.ExitCode}:\n{result.Output}");
        Assert.Contains("loader fuzz: all checks passed", result.Output, StringComparison.Ordinal);
    }

    /// <summary>The entries <paramref name="action"/> adds to the cache directory.</summary>
    string[] NewEntries(Action action)
    {
        string[] before = System.IO.Directory.GetFiles(directory, "*.tgc");
        action();
        return [.. System.IO.Directory.GetFiles(directory, "*.tgc").Except(before)];
    }

    /// <summary>The one entry among <paramref name="entries"/> that holds a function (its metadata names an entry symbol of a cached module, "c…"), not a destructor.</summary>
    static string FunctionEntry(string[] entries) =>
        Assert.Single(entries, e => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(e)).Contains("\nentry\tc", StringComparison.Ordinal));

    [Fact]
    public void An_unwritable_directory_compiles_and_warns()
    {
        string file = Path.Combine(directory, "not-a-directory");
        File.WriteAllText(file, "");
        CompileCache.Directory = Path.Combine(file, "cache"); // its parent is a file: nothing can be created there, even by root
        long failures = CompileCache.Counters.Failures;
        Assert.False(CompileAndCheck(Build()));
        Assert.False(CompileAndCheck(Build()));
        Assert.True(CompileCache.Counters.Failures >= failures + 2);
        Assert.Contains(warnings, w => w.Contains("could not be kept", StringComparison.Ordinal));
        Assert.Equal(0, CompileCache.Info().Entries);
    }

    [Fact]
    public void The_size_limit_evicts_the_least_recently_used_entries()
    {
        Assert.False(CompileAndCheck(Build(constant: "1")));
        long one = CompileCache.Info().Bytes;
        CompileCache.SizeLimit = one * 2 + one / 2; // room for two entries of this size
        Assert.False(CompileAndCheck(Build(constant: "2")));
        Thread.Sleep(20); // file times order the entries
        Assert.True(CompileAndCheck(Build(constant: "1"))); // a hit makes it the most recently used
        Thread.Sleep(20);
        Assert.False(CompileAndCheck(Build(constant: "3"))); // evicts constant 2, the least recently used
        CompileCacheInfo info = CompileCache.Info();
        Assert.True(info.Bytes <= CompileCache.SizeLimit, info.ToString());
        Assert.True(CompileAndCheck(Build(constant: "1")));
        Assert.True(CompileAndCheck(Build(constant: "3")));
        Assert.False(CompileAndCheck(Build(constant: "2")));

        CompileCache.SizeLimit = 0; // nothing fits: every compilation still works
        Assert.False(CompileAndCheck(Build(constant: "4")));
        Assert.Equal(0, CompileCache.Info().Entries);
    }

    [Fact]
    public void Eviction_leaves_a_tenth_of_the_limit_free_so_stores_at_the_limit_do_not_list_the_directory_each_time()
    {
        Assert.False(CompileAndCheck(Build(constant: "1")));
        long one = CompileCache.Info().Bytes;
        CompileCache.SizeLimit = one * 3 + one / 20; // three entries fit, with less than a tenth to spare
        foreach (string constant in (string[])["2", "3", "4"])
        {
            Thread.Sleep(20); // file times order the entries
            Assert.False(CompileAndCheck(Build(constant: constant)));
        }
        // The fourth store passed the limit: trimmed to nine tenths of it, two entries stay (the newest).
        CompileCacheInfo info = CompileCache.Info();
        Assert.Equal(2, info.Entries);
        Assert.True(info.Bytes <= CompileCache.SizeLimit - CompileCache.SizeLimit / 10, info.ToString());
        Assert.True(CompileAndCheck(Build(constant: "4")));
        Assert.True(CompileAndCheck(Build(constant: "3")));
        Assert.False(CompileAndCheck(Build(constant: "1")));
    }

    [Fact]
    public void Cache_off_lazy_callees_and_a_disabled_process_keep_nothing()
    {
        using var cpu = new CpuTarget();
        using (CompiledFunction off = cpu.Compile(Build(), new CompileOptions { Cache = false }))
            Assert.DoesNotContain(off.Timings.Phases, p => p.Phase.StartsWith("cache:", StringComparison.Ordinal));
        MethodInfo run = Build();
        using (CompiledFunction lazy = cpu.Compile(run, new CompileOptions { LazyCallees = true }))
            Assert.Equal((long)run.Invoke(null, [1000L])!, lazy.AsDelegate<Func<long, long>>()(1000));
        Assert.Equal(0, CompileCache.Info().Entries);
        CompileCache.Enabled = false;
        try
        {
            Assert.False(CompileAndCheck(Build()));
            Assert.Equal(0, CompileCache.Info().Entries);
        }
        finally
        {
            CompileCache.Enabled = true;
        }
    }

    [Fact]
    public void The_first_entry_marks_the_cache_as_holding_this_compilers_code_and_clear_removes_the_mark()
    {
        Assert.False(CompileCache.HoldsCodeOf(CacheKey.CompilerBuild));
        CompileAndCheck(Build(constant: "13"));
        Assert.True(CompileCache.HoldsCodeOf(CacheKey.CompilerBuild));
        Assert.Single(System.IO.Directory.GetFiles(directory, "compiler-*"));
        int entries = CompileCache.Info().Entries;
        Assert.Equal(System.IO.Directory.GetFiles(directory, "*.tgc").Length, entries); // the marker is not an entry
        Assert.Equal(entries, CompileCache.Clear());
        Assert.False(CompileCache.HoldsCodeOf(CacheKey.CompilerBuild));
        Assert.Empty(System.IO.Directory.GetFiles(directory));
        CompileAndCheck(Build(constant: "14"));
        Assert.True(CompileCache.HoldsCodeOf(CacheKey.CompilerBuild));
    }

    [Fact]
    public void Info_counts_and_clear_empties()
    {
        CompileAndCheck(Build(constant: "11"));
        CompileAndCheck(Build(constant: "12"));
        CompileCacheInfo info = CompileCache.Info();
        Assert.Equal(directory, info.Directory);
        Assert.True(info.Entries >= 2, info.ToString());
        Assert.True(info.Bytes > 0);
        Assert.Equal(info.Entries, CompileCache.Clear());
        Assert.Equal(0, CompileCache.Info().Entries);
        Assert.False(CompileAndCheck(Build(constant: "11")));
    }

    /// <summary>Runs <see cref="CacheProbe"/> in a child process on this test's cache directory (and <paramref name="settings"/>); it must succeed.</summary>
    string Probe(params (string Name, string Value)[] settings)
    {
        var environment = new Dictionary<string, string> { ["TARGETS_CACHE_DIR"] = directory };
        foreach ((string name, string value) in settings)
            environment[name] = value;
        ChildProcess.Result run = ChildProcess.Run(typeof(CacheProbe), nameof(CacheProbe.Run), TimeSpan.FromMinutes(2), environment);
        Assert.True(run.ExitCode == 0, run.Output);
        return run.Output;
    }

    [Fact]
    public void A_fresh_process_runs_from_the_cache_without_loading_LLVM()
    {
        string cold = Probe();
        Assert.Contains("hits 0 ", cold, StringComparison.Ordinal);
        Assert.Contains("llvm loaded", cold, StringComparison.Ordinal);
        Assert.Contains("result 8188 hits 2 misses 0 rejected 0 failures 0 llvm not loaded", Probe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fresh_process_takes_the_NRT_runtime_built_with_the_compiler_and_compiles_only_its_own_code()
    {
        string run = Probe();
        Assert.Contains("result 8188 hits 0 misses 2 ", run, StringComparison.Ordinal); // the function and its class's destructor, not the runtime
        Assert.Contains("runtime built with the compiler", run, StringComparison.Ordinal);
    }

    [Fact]
    public void TARGETS_NRT_RUNTIME_compile_compiles_the_runtime_on_this_machine_and_keeps_it()
    {
        string cold = Probe(("TARGETS_NRT_RUNTIME", "compile"));
        Assert.Contains("result 8188 hits 0 misses 3 ", cold, StringComparison.Ordinal);
        Assert.Contains("runtime compiled here", cold, StringComparison.Ordinal);
        Assert.Contains("result 8188 hits 3 misses 0 rejected 0 failures 0 llvm not loaded runtime compiled here",
            Probe(("TARGETS_NRT_RUNTIME", "compile")), StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_ORC_linker_everything_links_through_LLVM_and_nothing_is_kept()
    {
        Assert.Contains("result 8188 hits 0 misses 0 rejected 0 failures 0 llvm loaded runtime built with the compiler",
            Probe(("TARGETS_LINKER", "orc")), StringComparison.Ordinal);
        Assert.Empty(System.IO.Directory.GetFiles(directory));
    }

    [Fact]
    public async Task Two_processes_filling_one_directory_at_once_both_succeed_and_leave_intact_entries()
    {
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Probe())));
        Assert.Empty(System.IO.Directory.GetFiles(directory, "*.tmp"));
        string after = Probe();
        Assert.Contains("misses 0 ", after, StringComparison.Ordinal);
        Assert.Contains("rejected 0 ", after, StringComparison.Ordinal);
    }
}

/// <summary>Binary trees over a jit class in a child process: prints the result, the cache's counters, whether libLLVM is mapped and where the NRT runtime came from.</summary>
public static class CacheProbe
{
    public static int Run()
    {
        using var cpu = new CpuTarget();
        long result = cpu.Compile(CacheTrees.Run).AsDelegate<Func<int, long>>()(10);
        CompileCacheCounters c = CompileCache.Counters;
        bool llvm = File.ReadAllText("/proc/self/maps").Contains("libLLVM", StringComparison.Ordinal);
        Console.WriteLine($"result {result} hits {c.Hits} misses {c.Misses} rejected {c.Rejected} failures {c.Failures} llvm {(llvm ? "loaded" : "not loaded")}"
            + $" runtime {(HostTarget.Runtime.Prebuilt ? "built with the compiler" : "compiled here")}");
        return result == CacheTrees.Run(10) && Nrt.GetAllocationStats().IsBalanced ? 0 : 1;
    }
}

[JitClass]
internal sealed class CacheNode(CacheNode? left, CacheNode? right)
{
    public CacheNode? Left = left;
    public CacheNode? Right = right;

    public long Check() => Left is null ? 1 : 1 + Left.Check() + Right!.Check();
}

internal static class CacheTrees
{
    static CacheNode Make(int depth) => depth == 0 ? new CacheNode(null, null) : new CacheNode(Make(depth - 1), Make(depth - 1));

    public static long Run(int depth)
    {
        long total = 0;
        for (int i = 0; i < 4; i++)
            total += Make(depth).Check();
        return total;
    }
}

/// <summary>The body of <see cref="CompileCacheTests.The_loader_refuses_damaged_objects_and_never_crashes"/>, run in a child process.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class LoaderFuzzProbe
{
    public static long Work(long n)
    {
        double s = 0;
        for (long i = 0; i < n; i++)
            s += Math.Cos(i) * Math.Sqrt(i + 1.5);
        return (long)s;
    }

    public static int Run()
    {
        var problems = new List<string>();
        CompileCache.Directory = System.IO.Directory.CreateTempSubdirectory("targets-loader-fuzz-").FullName;
        using (var cpu = new CpuTarget())
        using (CompiledFunction first = cpu.Compile(Work))
            first.AsDelegate<Func<long, long>>()(10);
        // The function's own entry (the largest: destructors have none here, the runtime's is elsewhere).
        string path = new DirectoryInfo(CompileCache.Directory).GetFiles("*.tgc").OrderByDescending(f => f.Length).First().FullName;
        string key = Path.GetFileNameWithoutExtension(path);
        (CacheMetadata metadata, byte[] obj) = CacheEntry.Read(File.ReadAllBytes(path), key, out string? why) ?? throw new InvalidOperationException(why);

        // The cases the issue found, then random damage to the ELF header, the section headers and the symbol and relocation tables.
        var cases = new List<(string Name, byte[] Object)>();
        (ulong shoff, int shnum) = (BitConverter.ToUInt64(obj, 40), BitConverter.ToUInt16(obj, 60));
        int Header(uint type) => Enumerable.Range(0, shnum).First(i => BitConverter.ToUInt32(obj, (int)shoff + i * 64 + 4) == type);
        int symtab = Header(2);
        byte[] Changed(Action<byte[]> change) { byte[] copy = [.. obj]; change(copy); return copy; }
        cases.Add(("symbol table linked to section 0", Changed(o => BitConverter.TryWriteBytes(o.AsSpan((int)shoff + symtab * 64 + 40), 0u))));
        cases.Add(("shortened symbol table", Changed(o => BitConverter.TryWriteBytes(o.AsSpan((int)shoff + symtab * 64 + 32), 24UL))));
        cases.Add(("a section of 1 TB", Changed(o => BitConverter.TryWriteBytes(o.AsSpan((int)shoff + 1 * 64 + 32), 1UL << 40))));
        cases.Add(("an alignment of 2^40", Changed(o => BitConverter.TryWriteBytes(o.AsSpan((int)shoff + 1 * 64 + 48), 1UL << 40))));
        var regions = new List<(int Start, int Length)> { (0, 64), ((int)shoff, shnum * 64) };
        for (int i = 0; i < shnum; i++)
        {
            uint type = BitConverter.ToUInt32(obj, (int)shoff + i * 64 + 4);
            if (type is 2 or 4) // symbols, relocations
                regions.Add(((int)BitConverter.ToUInt64(obj, (int)shoff + i * 64 + 24), (int)BitConverter.ToUInt64(obj, (int)shoff + i * 64 + 32)));
        }
        var random = new Random(32);
        for (int m = 0; m < 4000; m++)
        {
            (int start, int length) = regions[random.Next(regions.Count)];
            cases.Add(($"random damage {m}", Changed(o =>
            {
                for (int k = 0, n = random.Next(1, 4); k < n && length > 0; k++)
                {
                    int at = start + random.Next(length);
                    o[at] = random.Next(4) switch { 0 => 0, 1 => 0xFF, 2 => (byte)(o[at] ^ (1 << random.Next(8))), _ => (byte)random.Next(256) };
                }
            })));
        }
        int loaded = 0, refused = 0;
        var refusedCases = new HashSet<string>();
        foreach ((string name, byte[] damaged) in cases)
        {
            try
            {
                using var image = Llvm.Linking.NativeImage.Load(damaged, Host.HostSymbols.Resolve); // loaded only: a forgery that loads is not run
                loaded++;
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException)
            {
                refused++;
                refusedCases.Add(name);
            }
#pragma warning disable CA1031 // anything else is what this probe looks for
            catch (Exception e)
#pragma warning restore CA1031
            {
                problems.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }
        foreach ((string name, _) in cases.Take(4))
        {
            Console.WriteLine($"loader fuzz: {name}: {(refusedCases.Contains(name) ? "refused" : "loaded")}");
            if (!refusedCases.Contains(name) && name != "an alignment of 2^40") // section 1 may be one that is not loaded, where its alignment means nothing
                problems.Add($"{name}: loaded, not refused");
        }
        Console.WriteLine($"loader fuzz: {cases.Count} damaged objects: {loaded} loaded, {refused} refused, {problems.Count} other exceptions");
        if (refused < cases.Count / 4)
            problems.Add($"only {refused} of {cases.Count} damaged objects were refused");

        // Under a compile, with the checksum recomputed: a miss (refused, compiled, replaced), never an exception out of Compile.
        long rejected = CompileCache.Counters.Rejected;
        for (int k = 0; k < 4; k++)
        {
            File.WriteAllBytes(path, CacheEntry.Write(key, metadata, cases[k].Object));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                using var cpu = new CpuTarget();
                using CompiledFunction again = cpu.Compile(Work);
                if (again.AsDelegate<Func<long, long>>()(1000) != Work(1000))
                    problems.Add($"{cases[k].Name}: a wrong result after the entry was refused");
            }
#pragma warning disable CA1031
            catch (Exception e)
#pragma warning restore CA1031
            {
                problems.Add($"{cases[k].Name}: Compile threw {e.GetType().Name}: {e.Message}");
            }
        }
        int expected = cases.Take(4).Count(c => refusedCases.Contains(c.Name));
        if (CompileCache.Counters.Rejected - rejected != expected)
            problems.Add($"{CompileCache.Counters.Rejected - rejected} damaged entries refused under a compile, where the loader refuses {expected}");
        System.IO.Directory.Delete(CompileCache.Directory, recursive: true);
        foreach (string problem in problems.Take(20))
            Console.WriteLine("problem: " + problem);
        if (problems.Count > 0)
            return 1;
        Console.WriteLine("loader fuzz: all checks passed");
        return 0;
    }
}

/// <summary>The body of <see cref="CompileCacheTests.An_entry_that_is_not_a_regular_file_is_refused_without_blocking"/>: the entry's kind comes from <c>TARGETS_TEST_ENTRY_KIND</c>.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class EntryKindProbe
{
    static long Compile()
    {
        using var cpu = new CpuTarget();
        using CompiledFunction f = cpu.Compile(LoaderFuzzProbe.Work);
        return f.AsDelegate<Func<long, long>>()(1000);
    }

    public static int Run()
    {
        string kind = Environment.GetEnvironmentVariable("TARGETS_TEST_ENTRY_KIND")!;
        string directory = System.IO.Directory.CreateTempSubdirectory("targets-entry-kind-").FullName;
        CompileCache.Directory = directory;
        var warnings = new List<string>();
        CompileCache.Warning += warnings.Add;
        long expected = LoaderFuzzProbe.Work(1000);
        bool ok = Compile() == expected;
        string entry = new DirectoryInfo(directory).GetFiles("*.tgc").OrderByDescending(f => f.Length).First().FullName;
        string other = Path.Combine(directory, "other.tgc.keep");
        File.Copy(entry, other);
        File.Delete(entry);
        switch (kind)
        {
            case "link to /dev/zero":
                File.CreateSymbolicLink(entry, "/dev/zero");
                break;
            case "fifo":
                using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", entry))
                    mkfifo.WaitForExit();
                break;
            case "directory":
                System.IO.Directory.CreateDirectory(entry);
                break;
            default:
                File.CreateSymbolicLink(entry, other);
                break;
        }
        long rejected = CompileCache.Counters.Rejected, hits = CompileCache.Counters.Hits;
        ok &= Compile() == expected;
        bool refused = CompileCache.Counters.Rejected > rejected && warnings.Any(w => w.Contains("refused", StringComparison.Ordinal));
        // A directory in an entry's place is left alone (it may hold anything): the function is compiled and not kept.
        bool handled = kind == "directory" ? CompileCache.Counters.Hits == hits : refused && Compile() == expected && CompileCache.Counters.Hits > hits;
        Console.WriteLine($"entry kind: {kind}: result {(ok ? "right" : "wrong")}, {(refused ? "refused" : "not refused")}, {(handled ? "handled" : "not handled")}");
        System.IO.Directory.Delete(directory, recursive: true);
        if (!ok || !handled)
            return 1;
        Console.WriteLine("entry kind: all checks passed");
        return 0;
    }
}
