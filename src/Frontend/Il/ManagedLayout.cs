using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;

namespace Targets.Frontend.Il;

/// <summary>
/// Where the running runtime places a value type's fields, and how big it is: the managed layout,
/// the one a <c>T[]</c>'s elements have, so compiled code shares arrays of structs with .NET
/// without copies. Asked of the runtime (a dynamic method takes each field's address in a local and
/// subtracts the local's), never re-derived: <c>Marshal.OffsetOf</c> describes the marshalled layout
/// (a <c>bool</c> is 4 bytes there), and types with Auto layout (<c>ValueTuple</c>, <c>DateTime</c>)
/// have their fields reordered by the runtime. A layout never changes within a process, so answers
/// are kept process-wide; the compile cache keys on the runtime version that gave them.
/// </summary>
public static class ManagedLayout
{
    /// <summary>A value type's instance fields in metadata order, each field's byte offset, and the size (<c>Unsafe.SizeOf</c>).</summary>
    public sealed record Result(FieldInfo[] Fields, int[] Offsets, int Size);

    static readonly ConcurrentDictionary<Type, Result> Known = new();

    /// <summary>The managed layout of the closed value type <paramref name="type"/>.</summary>
    public static Result Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.IsValueType || type.ContainsGenericParameters || type.IsByRefLike)
            throw new ArgumentException($"Expected a closed value type that is not a ref struct, got {type}.", nameof(type));
        return Known.GetOrAdd(type, Measure);
    }

    /// <summary>The instance fields of <paramref name="type"/> in metadata order (the order C# declares them).</summary>
    public static FieldInfo[] FieldsOf(Type type)
    {
        FieldInfo[] fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        Array.Sort(fields, (a, b) => a.MetadataToken.CompareTo(b.MetadataToken));
        return fields;
    }

    static Result Measure(Type type)
    {
        FieldInfo[] fields = FieldsOf(type);
        // One method returns the size and writes every offset: int Measure(nint offsets), offsets an nint*.
        var method = new DynamicMethod("measure_" + type.Name, typeof(int), [typeof(nint)], typeof(ManagedLayout).Module, skipVisibility: true);
        ILGenerator il = method.GetILGenerator();
        LocalBuilder local = il.DeclareLocal(type);
        for (int n = 0; n < fields.Length; n++)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4, n * IntPtr.Size);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldloca, local);
            il.Emit(OpCodes.Ldflda, fields[n]);
            il.Emit(OpCodes.Ldloca, local);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Stind_I);
        }
        il.Emit(OpCodes.Sizeof, type);
        il.Emit(OpCodes.Ret);
        var measure = method.CreateDelegate<Func<nint, int>>();
        var offsets = new nint[Math.Max(1, fields.Length)];
        int size;
        unsafe
        {
            fixed (nint* into = offsets)
                size = measure((nint)into);
        }
        var result = new int[fields.Length];
        for (int n = 0; n < fields.Length; n++)
            result[n] = checked((int)offsets[n]);
        return new Result(fields, result, size);
    }
}
