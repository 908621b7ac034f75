// C = A·B with 16×16 tiles in shared memory (bench/PtxComparison.cs: TiledMatMul).
#define TILE 16
extern "C" __global__ void matmul(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c, int n)
{
    __shared__ float ta[TILE * TILE];
    __shared__ float tb[TILE * TILE];
    int tx = threadIdx.x, ty = threadIdx.y;
    int row = blockIdx.y * TILE + ty, col = blockIdx.x * TILE + tx;
    float sum = 0;
    for (int k0 = 0; k0 < n; k0 += TILE)
    {
        ta[ty * TILE + tx] = a[row * n + k0 + tx];
        tb[ty * TILE + tx] = b[(k0 + ty) * n + col];
        __syncthreads();
        for (int k = 0; k < TILE; k++)
            sum += ta[ty * TILE + k] * tb[k * TILE + tx];
        __syncthreads();
    }
    c[row * n + col] = sum;
}
