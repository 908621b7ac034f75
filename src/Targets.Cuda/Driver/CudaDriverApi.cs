using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: DisableRuntimeMarshalling]

namespace Targets.Cuda.Driver;

/// <summary>
/// CUDA driver API entry points (<c>cuda.h</c>), bound to <c>libcuda.so.1</c>: driver-only machines
/// have no unversioned <c>libcuda.so</c>. Functions return a <c>CUresult</c> (0 is success).
/// </summary>
#pragma warning disable CA1401, CA5392, SYSLIB1054
internal static partial class CudaDriverApi
{
    const string Lib = "cuda";

#pragma warning disable CA2255 // the resolver must be in place before the first driver call.
    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(CudaDriverApi).Assembly, Resolve);
#pragma warning restore CA2255

    static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Lib && NativeLibrary.TryLoad("libcuda.so.1", out nint handle) ? handle : 0;

    [LibraryImport(Lib)] internal static partial int cuInit(uint flags);
    [LibraryImport(Lib)] internal static partial int cuDriverGetVersion(out int version);
    [LibraryImport(Lib)] internal static partial int cuDeviceGetCount(out int count);
}
