using System.Runtime.InteropServices;
using Targets.Llvm.Linking;

namespace Targets.Llvm.Tests;

/// <summary>The dynamic linker's lookups agree with .NET's own (<see cref="NativeLibrary"/>), and a missing library or symbol is 0, not an exception.</summary>
public sealed class SharedLibrariesTests
{
    [Theory]
    [InlineData("libm.so.6", "cos")]
    [InlineData("libc.so.6", "memcpy")]
    [InlineData("libgcc_s.so.1", "__popcountdi2")]
    public void A_symbol_is_where_dotnet_finds_it(string library, string symbol)
    {
        nint handle = SharedLibraries.Open(library);
        Assert.NotEqual(0, handle);
        Assert.Equal(NativeLibrary.GetExport(NativeLibrary.Load(library), symbol), SharedLibraries.Symbol(handle, symbol));
    }

    [Fact]
    public void The_main_program_scope_finds_what_the_process_loaded()
    {
        nint scope = SharedLibraries.MainProgram;
        Assert.NotEqual(0, scope);
        Assert.Equal(NativeLibrary.GetExport(NativeLibrary.GetMainProgramHandle(), "malloc"), SharedLibraries.Symbol(scope, "malloc"));
    }

    [Fact]
    public void Missing_libraries_and_symbols_are_zero_and_empty_names_are_refused()
    {
        Assert.Equal(0, SharedLibraries.Open("libtargets-no-such-library.so.1"));
        Assert.Equal(0, SharedLibraries.Symbol(SharedLibraries.Open("libc.so.6"), "targets_no_such_symbol"));
        Assert.Throws<ArgumentException>(() => SharedLibraries.Open(""));
        Assert.Throws<ArgumentException>(() => SharedLibraries.Symbol(SharedLibraries.MainProgram, ""));
    }
}
