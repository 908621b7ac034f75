// A by-value struct argument (our immutable jit class, ILGPU's struct) (bench/PtxComparison.cs: Gravity).
struct Particle { float x, y, mass; };

extern "C" __global__ void gravity(int n, Particle source, const float* __restrict__ xs, const float* __restrict__ ys, float* __restrict__ pull)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    float dx = source.x - xs[i], dy = source.y - ys[i];
    pull[i] = source.mass / (dx * dx + dy * dy + 1e-3f);
}
