using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace Targets.Cuda.Device;

/// <summary>
/// ILGPU's dense one-dimensional buffers and views as kernel arguments, with no copy: what a user
/// who already holds ILGPU memory passes to our kernels. Element types are checked by the caller
/// (<see cref="KernelArguments"/>) against the generic argument.
/// </summary>
internal static class IlgpuInterop
{
    static readonly MethodInfo EffectiveAddress = typeof(ArrayViewExtensions).GetMethods()
        .Single(m => m.Name == nameof(ArrayViewExtensions.LoadEffectiveAddressAsPtr) && m.GetParameters() is [{ ParameterType.IsGenericType: true }]);

    /// <summary>The device address and element count of an ILGPU buffer or view, or null when <paramref name="arg"/> is neither.</summary>
    public static (nint Data, long Length)? AddressOf(object arg)
    {
        Type type = arg.GetType();
        if (!type.IsGenericType || type.GetGenericArguments() is not [var element, var stride] || stride != typeof(Stride1D.Dense))
            return null;
        Type definition = type.GetGenericTypeDefinition();
        if (definition == typeof(MemoryBuffer1D<,>))
        {
            var buffer = (MemoryBuffer)arg;
            return (buffer.NativePtr, buffer.Length);
        }
        if (definition == typeof(ArrayView1D<,>))
        {
            object baseView = type.GetProperty(nameof(ArrayView1D<int, Stride1D.Dense>.BaseView))!.GetValue(arg)!;
            long length = (long)type.GetProperty(nameof(ArrayView1D<int, Stride1D.Dense>.Length))!.GetValue(arg)!;
            return ((nint)EffectiveAddress.MakeGenericMethod(element).Invoke(null, [baseView])!, length);
        }
        return null;
    }
}
