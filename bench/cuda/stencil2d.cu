// A 2-D four-point stencil over the interior (bench/PtxComparison.cs: Stencil2D).
extern "C" __global__ void stencil2d(int width, int height, const float* __restrict__ input, float* __restrict__ output)
{
    int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x > 0 && y > 0 && x < width - 1 && y < height - 1)
        output[y * width + x] = 0.25f * (input[y * width + x - 1] + input[y * width + x + 1] + input[(y - 1) * width + x] + input[(y + 1) * width + x]);
}
