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
}

/// <summary>A list in device code is refused with the reason (TGT3001): it grows on a heap the device has not.</summary>
public sealed class ListKernelTests
{
    [Fact]
    public void A_list_in_a_kernel_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => CudaTarget.Simulator().Launch(ListKernels.Divisors, 4, new int[4]));
        Assert.Equal(DiagnosticCode.CudaDeviceAllocation, e.Code);
        Assert.Contains("a List<Int32> in device code", e.Message, StringComparison.Ordinal);
    }
}
