using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Targets.Cuda.Device;

/// <summary>
/// One opened CUDA device, through ILGPU: its <see cref="CudaAccelerator"/> (the CUDA context,
/// memory buffers, synchronisation) and ILGPU's <see cref="CudaAPI"/> for what ILGPU's own kernels
/// do not need — loading our PTX with the driver's JIT error log, occupancy, and launching. The
/// context is bound to the calling thread before every call (a CUDA context is current per thread).
/// </summary>
internal sealed class DeviceSession : IDisposable
{
    readonly CudaAccelerator accelerator;
    readonly object gate = new();

    DeviceSession(CudaAccelerator accelerator, CudaDeviceInfo info)
    {
        this.accelerator = accelerator;
        Info = info;
    }

    public CudaDeviceInfo Info { get; }

    /// <summary>Held for a whole launch (arguments in, kernel, results back): launches share the error slot.</summary>
    public object LaunchGate { get; } = new();

    MemoryBuffer1D<byte, Stride1D.Dense>? errorSlot;

    /// <summary>The device's error slot, zeroed (kept between launches: a launch pays for a memset, not an allocation).</summary>
    public nint ZeroedErrorSlot(int bytes)
    {
        lock (gate)
        {
            accelerator.Bind();
            errorSlot ??= accelerator.Allocate1D<byte>(bytes);
            Check(CudaAPI.CurrentAPI.Memset(errorSlot.NativePtr, 0, bytes, IntPtr.Zero), "clearing the error slot");
            return errorSlot.NativePtr;
        }
    }

    public CudaAccelerator Accelerator => accelerator;

    /// <summary>Opens device <paramref name="ordinal"/>, or throws saying why there is none.</summary>
    public static DeviceSession Open(int ordinal)
    {
        if (CudaDriver.Context is not { } context || ordinal < 0 || ordinal >= CudaDriver.Devices.Count)
            throw new InvalidOperationException($"No CUDA device {ordinal} to run on: {CudaDriver.Reason}. " +
                "CudaTarget.Simulator() runs the same kernels on the CPU.");
        return new DeviceSession(context.CreateCudaAccelerator(ordinal), CudaDriver.Devices[ordinal]);
    }

    static void Check(CudaError status, string what)
    {
        if (status != CudaError.CUDA_SUCCESS)
            throw new InvalidOperationException($"CUDA: {what} failed with {status}: {CudaAPI.CurrentAPI.GetErrorString(status)}");
    }

    /// <summary>Loads a PTX module and finds its kernel; a module the driver refuses throws with the JIT's error log.</summary>
    public nint LoadKernel(string ptx, string symbol)
    {
        lock (gate)
        {
            accelerator.Bind();
            CudaError status = CudaAPI.CurrentAPI.LoadModule(out nint module, ptx, out string? log);
            if (status != CudaError.CUDA_SUCCESS)
                throw new InvalidOperationException($"The CUDA driver could not load the PTX ({status}): {log}");
            Check(CudaAPI.CurrentAPI.GetModuleFunction(out nint function, module, symbol), $"finding kernel {symbol}");
            return function;
        }
    }

    /// <summary>
    /// The block size the occupancy API suggests for <paramref name="function"/>; 256 when the query
    /// fails (a suggestion is not worth failing a launch over).
    /// </summary>
    public int SuggestedBlockSize(nint function)
    {
        lock (gate)
        {
            accelerator.Bind();
            try
            {
                // No dynamic shared memory: a null size callback, as cuOccupancyMaxPotentialBlockSize allows.
                CudaError status = CudaAPI.CurrentAPI.ComputeOccupancyMaxPotentialBlockSize(out _, out int block, function,
                    (ComputeDynamicMemorySizeForBlockSize)null!, IntPtr.Zero, 0);
                return status == CudaError.CUDA_SUCCESS && block >= 32 ? block : 256;
            }
#pragma warning disable CA1031 // any failure of the query falls back to a block size every device runs
            catch (Exception)
#pragma warning restore CA1031
            {
                return 256;
            }
        }
    }

    /// <summary>Launches and waits for the kernel; a fault on the device is an exception naming it.</summary>
    public void Launch(nint function, Dim3 grid, Dim3 block, nint arguments)
    {
        lock (gate)
        {
            accelerator.Bind();
            Check(CudaAPI.CurrentAPI.LaunchKernel(function, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, 0, IntPtr.Zero, arguments, IntPtr.Zero), "the kernel launch");
            Check(CudaAPI.CurrentAPI.SynchronizeContext(), "the kernel");
        }
    }

    /// <summary>Device memory of <paramref name="bytes"/> bytes.</summary>
    public MemoryBuffer1D<byte, Stride1D.Dense> Allocate(long bytes)
    {
        lock (gate)
        {
            accelerator.Bind();
            return accelerator.Allocate1D<byte>(Math.Max(bytes, 16));
        }
    }

    /// <summary>A zeroed ILGPU buffer of <paramref name="length"/> elements.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> AllocateZeroed<T>(long length) where T : unmanaged
    {
        lock (gate)
        {
            accelerator.Bind();
            MemoryBuffer1D<T, Stride1D.Dense> buffer = accelerator.Allocate1D<T>(length);
            buffer.MemSetToZero();
            accelerator.Synchronize();
            return buffer;
        }
    }

    /// <summary>Copies between host and device memory (either way; addresses are unified).</summary>
    public void Copy(nint destination, nint source, long bytes)
    {
        lock (gate)
        {
            accelerator.Bind();
            Check(CudaAPI.CurrentAPI.MemcpyAsync(destination, source, (nint)bytes, accelerator.DefaultStream), "a copy");
            Check(CudaAPI.CurrentAPI.SynchronizeContext(), "a copy");
        }
    }

    /// <summary>Set by <see cref="Dispose"/>, which callers hold <see cref="LaunchGate"/> for.</summary>
    public bool Disposed { get; private set; }

    public void Dispose()
    {
        Disposed = true;
        errorSlot?.Dispose();
        accelerator.Dispose();
    }
}
