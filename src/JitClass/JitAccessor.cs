using Targets.Runtime;

namespace Targets;

/// <summary>
/// The fast path to one numeric field of boxes of one jit class type: made once with
/// <see cref="JitClassType.Accessor{T}"/>, then a get or set is a type check and one memory access.
/// </summary>
public readonly unsafe struct JitAccessor<T> where T : unmanaged
{
    readonly JitClassType type;
    readonly int offset;

    internal JitAccessor(JitClassType type, int offset)
    {
        this.type = type;
        this.offset = offset;
    }

    public T Get(JitObject box) => *(T*)Address(box);

    public void Set(JitObject box, T value) => *(T*)Address(box) = value;

    byte* Address(JitObject box)
    {
        ArgumentNullException.ThrowIfNull(box);
        if (box.Type.ClrType != type.ClrType)
            throw new ArgumentException($"Expected a box of {type.Name}, got one of {box.Type.Name}.", nameof(box));
        return (byte*)(box.MemInfo + NrtRuntimeIr.HeaderSize) + offset;
    }
}
