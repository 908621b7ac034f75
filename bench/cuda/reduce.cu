// A block sum in shared memory, then one atomic add per block (bench/PtxComparison.cs: Reduce, Block = 64).
#define BLOCK 64
extern "C" __global__ void reduce(int n, const float* __restrict__ input, float* total)
{
    __shared__ float partial[BLOCK];
    int t = threadIdx.x;
    int i = blockIdx.x * BLOCK + t;
    partial[t] = i < n ? input[i] : 0.0f;
    __syncthreads();
    for (int stride = BLOCK / 2; stride > 0; stride /= 2)
    {
        if (t < stride)
            partial[t] += partial[t + stride];
        __syncthreads();
    }
    if (t == 0)
        atomicAdd(total, partial[0]);
}
