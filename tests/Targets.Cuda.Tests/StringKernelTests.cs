using Targets.Llvm;

namespace Targets.Cuda.Tests;

/// <summary>Kernels that use string literals (their characters in the device's constant memory) and a kernel that takes a string.</summary>
public static class StringKernels
{
    const string Digits = "0123456789abcdef";

    /// <summary>Each item writes the hex digit of its value, and which of three words its value names (an ordinal search and a comparison).</summary>
    public static void Hex(Index1D i, int[] values, char[] digits, int[] found)
    {
        digits[i] = Digits[values[i] & 15];
        string word = (values[i] % 3) switch { 0 => "alpha", 1 => "beta", _ => "gamma" };
        found[i] = word.IndexOf('a') * 100 + (word == "beta" ? 10 : 0) + (word.AsSpan(1).StartsWith("amm") ? 1 : 0);
    }

    /// <summary>A string value (not a literal) in an exception raised on the device: the host could not read it.</summary>
    public static void Raise(Index1D i, int[] values)
    {
        string word = values[i] > 3 ? "big" : "small";
        if (values[i] < 0)
            throw new ArgumentException(word);
    }

    /// <summary>A string is a .NET object: refused as a kernel parameter.</summary>
    public static void Count(Index1D i, string text, int[] output) => output[i] = text.Length;
}

/// <summary>
/// String literals and the string members in kernels on the cuda simulator against .NET, their PTX through ptxas (the
/// characters in <c>.const</c>), and the refusal of a string kernel parameter (TGT3009).
/// </summary>
public sealed class StringKernelTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void String_literals_in_a_kernel_match_dotnet_on_the_simulator()
    {
        int[] values = [.. Enumerable.Range(0, 37).Select(k => k * 13 - 100)];
        char[] expectedDigits = new char[37], digits = new char[37];
        int[] expectedFound = new int[37], found = new int[37];
        for (int i = 0; i < 37; i++)
            StringKernels.Hex(new Index1D(i), values, expectedDigits, expectedFound);
        Simulator.Launch(StringKernels.Hex, 37, values, digits, found);
        Assert.Equal(expectedDigits, digits);
        Assert.Equal(expectedFound, found);
    }

    [Fact]
    public void A_string_kernel_parameter_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Launch(StringKernels.Count, 4, "text", new int[4]));
        Assert.Equal(DiagnosticCode.CudaStringParameter, e.Code);
        Assert.Contains("a string parameter of a kernel", e.Message, StringComparison.Ordinal);
        Assert.Contains("char[]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_value_in_an_exception_raised_on_the_device_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Launch(StringKernels.Raise, 4, new int[4]));
        Assert.Equal(DiagnosticCode.CudaStringParameter, e.Code);
        Assert.Contains("a string value in an exception raised in device code", e.Message, StringComparison.Ordinal);
    }

    [PtxasFact]
    public void String_kernels_are_ptx_that_ptxas_accepts_with_the_literals_in_constant_memory()
    {
        var gpu = new CudaTarget(new CudaOptions { ComputeCapability = 80 });
        string ptx = gpu.InspectKernel((Action<Index1D, int[], char[], int[]>)StringKernels.Hex);
        Assert.Contains(".const .align 16 .b8", ptx, StringComparison.Ordinal);
        Assert.Null(Ptxas.Check(ptx, 80));
    }
}
