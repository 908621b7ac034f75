namespace Targets.Cuda.Tests;

/// <summary>A kernel that builds a list.</summary>
public static class ListKernels
{
    public static void Divisors(Index1D i, int[] counts)
    {
        var divisors = new List<int>();
        for (int d = 1; d <= i; d++)
        {
            if (i % d == 0)
                divisors.Add(d);
        }
        counts[i] = divisors.Count;
    }

    public static void Residues(Index1D i, int[] counts)
    {
        var seen = new HashSet<int>();
        for (int k = 0; k < 10; k++)
            seen.Add(k * i % 7);
        counts[i] = seen.Count;
    }
}

/// <summary>A list or a set in device code is refused with the reason (TGT3001): it grows on a heap the device has not.</summary>
public sealed class ListKernelTests
{
    [Fact]
    public void A_list_in_a_kernel_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => CudaTarget.Simulator().Launch(ListKernels.Divisors, 4, new int[4]));
        Assert.Equal(DiagnosticCode.CudaDeviceAllocation, e.Code);
        Assert.Contains("a List<Int32> in device code", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_in_a_kernel_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => CudaTarget.Simulator().Launch(ListKernels.Residues, 4, new int[4]));
        Assert.Equal(DiagnosticCode.CudaDeviceAllocation, e.Code);
        Assert.Contains("in device code", e.Message, StringComparison.Ordinal);
    }
}
