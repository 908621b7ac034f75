
namespace Targets.Cuda.Tests;

/// <summary>
/// What the grid kernels of <see cref="CudaKernels"/> compute, written as plain .NET loops that do the
/// same float operations in the same order (tiles add up in k order; the stencil adds left to right;
/// shuffles down a warp take the lane's own value past its end, as CUDA's do), so a device's result
/// equals them bit for bit (the simulator tests check that). The hardware suite compares the device with
/// these: its device run has no simulator, which needs LLVM; hw-tests links this file.
/// </summary>
public static class DotnetReferences
{
    /// <summary>C = A·B for n×n row-major matrices, summed in k order (<see cref="CudaKernels.TiledMatMul"/>).</summary>
    public static float[] MatMul(float[] a, float[] b, int n)
    {
        var c = new float[n * n];
        for (int row = 0; row < n; row++)
        {
            for (int col = 0; col < n; col++)
            {
                float sum = 0;
                for (int k = 0; k < n; k++)
                    sum += a[row * n + k] * b[k * n + col];
                c[row * n + col] = sum;
            }
        }
        return c;
    }

    /// <summary>The three-point average with zeros past either end (<see cref="CudaKernels.Stencil"/>).</summary>
    public static float[] Stencil(float[] input)
    {
        var output = new float[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            float left = i > 0 ? input[i - 1] : 0f, right = i + 1 < input.Length ? input[i + 1] : 0f;
            output[i] = (left + input[i] + right) / 3f;
        }
        return output;
    }

    /// <summary>Each warp's sum by shuffles down a tree of offsets 16, 8, 4, 2, 1 (<see cref="CudaKernels.WarpSum"/>).</summary>
    public static float[] WarpSums(float[] input)
    {
        var sums = new float[input.Length / 32];
        var lanes = new float[32];
        var next = new float[32];
        for (int warp = 0; warp < sums.Length; warp++)
        {
            Array.Copy(input, warp * 32, lanes, 0, 32);
            for (int offset = 16; offset > 0; offset /= 2)
            {
                for (int lane = 0; lane < 32; lane++)
                    next[lane] = lanes[lane] + (lane + offset < 32 ? lanes[lane + offset] : lanes[lane]);
                (lanes, next) = (next, lanes);
            }
            sums[warp] = lanes[0];
        }
        return sums;
    }
}
