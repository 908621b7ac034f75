using System.Numerics;
using System.Runtime.Intrinsics;

namespace Targets.Frontend.Il;

/// <summary>
/// Which .NET types are SIMD vectors (<see cref="Vector{T}"/>, <see cref="Vector64{T}"/>, <see cref="Vector128{T}"/>,
/// <see cref="Vector256{T}"/>, <see cref="Vector512{T}"/>) and which static classes hold their operations. A vector's
/// lane count is what this process's .NET says it is (<c>Vector&lt;float&gt;.Count</c> is 8 with AVX2), so compiled
/// code and .NET agree on every loop that steps by it.
/// </summary>
internal static class SimdTypes
{
    static readonly Type[] VectorDefinitions = [typeof(Vector<>), typeof(Vector64<>), typeof(Vector128<>), typeof(Vector256<>), typeof(Vector512<>)];

    static readonly Type[] OperationClasses = [typeof(Vector), typeof(Vector64), typeof(Vector128), typeof(Vector256), typeof(Vector512)];

    /// <summary>Whether <paramref name="type"/> is a closed SIMD vector type.</summary>
    public static bool IsVector(Type? type) =>
        type is { IsGenericType: true, ContainsGenericParameters: false } && VectorDefinitions.Contains(type.GetGenericTypeDefinition());

    /// <summary>Whether <paramref name="type"/> is one of the static classes of vector operations (<c>Vector</c>, <c>Vector128</c>, …).</summary>
    public static bool IsOperationClass(Type? type) => type is not null && OperationClasses.Contains(type);

    /// <summary>The static class of a vector type's family (<c>Vector</c> for <c>Vector&lt;T&gt;</c>, <c>Vector128</c> for <c>Vector128&lt;T&gt;</c>, …).</summary>
    public static Type OperationClass(Type vector) => OperationClasses[Array.IndexOf(VectorDefinitions, vector.GetGenericTypeDefinition())];

    /// <summary>The lane count of a closed vector type, as .NET has it in this process.</summary>
    public static int Lanes(Type vector) => (int)vector.GetProperty("Count")!.GetValue(null)!;
}
