namespace Targets.Cuda.Driver;

/// <summary>
/// Whether this machine can run CUDA code, and if not, why — decided once per process: the driver
/// library loads, <c>cuInit</c> succeeds and at least one device exists. Never throws.
/// </summary>
public static class CudaDriverProbe
{
    /// <summary>The outcome of the probe.</summary>
    public sealed record Result(bool IsAvailable, int DeviceCount, int DriverVersion, string Reason);

    static readonly Lazy<Result> Cached = new(Run);

    public static Result Current => Cached.Value;

    static Result Run()
    {
        try
        {
            int status = CudaDriverApi.cuInit(0);
            if (status != 0)
                return new(false, 0, 0, status switch
                {
                    100 => "cuInit: no CUDA-capable device (CUDA_ERROR_NO_DEVICE)",
                    34 => "cuInit: libcuda.so.1 is a stub library, not a driver (CUDA_ERROR_STUB_LIBRARY)",
                    803 => "cuInit: driver and kernel module versions differ (CUDA_ERROR_SYSTEM_DRIVER_MISMATCH)",
                    _ => $"cuInit failed with CUresult {status}",
                });
            CudaDriverApi.cuDriverGetVersion(out int version);
            status = CudaDriverApi.cuDeviceGetCount(out int count);
            if (status != 0 || count < 1)
                return new(false, 0, version, $"the driver reports no devices (CUresult {status})");
            return new(true, count, version, $"{count} device(s), driver API {version / 1000}.{version % 1000 / 10}");
        }
        catch (DllNotFoundException)
        {
            return new(false, 0, 0, "libcuda.so.1 (the NVIDIA driver) is not installed");
        }
        catch (EntryPointNotFoundException e)
        {
            return new(false, 0, 0, $"libcuda.so.1 lacks a driver entry point: {e.Message}");
        }
    }
}
