using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace Targets.Cuda.Device;

/// <summary>
/// Whether this machine can run CUDA code, and if not exactly why, decided once per process and
/// never throwing: the driver library (<c>libcuda.so.1</c>, what driver-only machines have) must
/// load, and ILGPU's CUDA runtime must initialise and list at least one device. Holds the ILGPU
/// context the devices are opened from.
/// </summary>
internal static class CudaDriver
{
    sealed record Probe(Context? Context, IReadOnlyList<CudaDeviceInfo> Devices, string Reason);

    static readonly Lazy<Probe> Current = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The devices present; empty when none (see <see cref="Reason"/>).</summary>
    public static IReadOnlyList<CudaDeviceInfo> Devices => Current.Value.Devices;

    /// <summary>Why there is no device, or a summary of those there are.</summary>
    public static string Reason => Current.Value.Reason;

    /// <summary>The ILGPU context with the CUDA devices (null when there are none).</summary>
    public static Context? Context => Current.Value.Context;

    static Probe Run()
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out nint driver) && !NativeLibrary.TryLoad("nvcuda.dll", out driver))
            return new(null, [], "libcuda.so.1 (the NVIDIA driver) is not installed");
        NativeLibrary.Free(driver);
        try
        {
            if (!CudaAPI.CurrentAPI.Init())
                return new(null, [], "the NVIDIA driver failed to initialise (cuInit): no usable device, or the driver and kernel module versions differ");
            CudaError status = CudaAPI.CurrentAPI.GetDeviceCount(out int count);
            if (status != CudaError.CUDA_SUCCESS || count < 1)
                return new(null, [], $"the driver reports no CUDA devices ({status})");
            Context context = Context.Create(b => b.Cuda());
            var devices = new List<CudaDeviceInfo>();
            int ordinal = 0;
            foreach (CudaDevice device in context.GetCudaDevices())
            {
                CudaArchitecture architecture = device.Architecture ?? default;
                devices.Add(new CudaDeviceInfo(ordinal++, device.Name, architecture.Major * 10 + architecture.Minor, device.MemorySize,
                    device.NumMultiprocessors, device.DriverVersion.Major * 10 + device.DriverVersion.Minor));
            }
            if (devices.Count == 0)
            {
                context.Dispose();
                return new(null, [], "ILGPU found no CUDA device it supports");
            }
            return new(context, devices, $"{devices.Count} device(s): {string.Join("; ", devices)}");
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or EntryPointNotFoundException or InvalidOperationException or TypeInitializationException)
        {
            return new(null, [], $"the CUDA runtime could not start: {e.Message}");
        }
    }
}
