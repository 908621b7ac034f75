// Escape iterations over a 2-D grid (bench/PtxComparison.cs: Mandelbrot).
extern "C" __global__ void mandelbrot(int width, int height, int* __restrict__ iterations)
{
    int px = blockIdx.x * blockDim.x + threadIdx.x, py = blockIdx.y * blockDim.y + threadIdx.y;
    if (px >= width || py >= height)
        return;
    float cx = -2.0f + 3.0f * px / width, cy = -1.5f + 3.0f * py / height;
    float x = 0, y = 0;
    int n = 0;
    while (n < 256 && x * x + y * y <= 4)
    {
        float t = x * x - y * y + cx;
        y = 2 * x * y + cy;
        x = t;
        n++;
    }
    iterations[py * width + px] = n;
}
