using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// What .NET types mean to one compilation: which classes are jit classes and what type each field
/// declared <c>object</c> holds. Every compilation carries one (in its <see cref="IrModule"/>),
/// chosen by the target, instead of process-wide tables: two targets may lay the same class out
/// differently in one process. A context's answers never change once given (the layouts behind
/// them are fixed on first use), so compiled code may be cached under it.
/// </summary>
public abstract class TypeContext
{
    /// <summary>Whether compiled code treats <paramref name="type"/> as a jit class (instances are IR instances).</summary>
    public abstract bool IsJitClass(Type type);

    /// <summary>The type a jit class field declared <c>object</c> holds in compiled code, or null when this context has none for it.</summary>
    public abstract Type? ObjectFieldType(FieldInfo field);

    /// <summary>Text for a diagnostic that an <c>object</c> field has no type here: what the user must do.</summary>
    public virtual string HowToTypeObjectField(FieldInfo field) =>
        $"this compilation's type context gives field {field.DeclaringType?.Name}.{field.Name} no type";

    /// <summary>The IR type of <paramref name="type"/>; null for a type the compiler cannot represent.</summary>
    public IrType? Map(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.IsByRef)
            return Map(type.GetElementType()!) is { IsScalar: true } element ? IrType.ByRefTo(element) : null;
        if (type.IsArray)
        {
            // Arrays of numbers or of jit class instances; not of arrays (jagged arrays).
            IrType? element = Map(type.GetElementType()!);
            if (element is null || !element.IsScalar && element.Kind != IrTypeKind.Instance)
                return null;
            // T[] is an SZ array; T[*] (a rank-1 array with bounds) is not something C# creates.
            if (type.IsSZArray)
                return IrType.ArrayOf(element, 1);
            int rank = type.GetArrayRank();
            return rank >= 2 ? IrType.ArrayOf(element, rank) : null;
        }
        if (type.IsEnum)
            return null;
        if (IsJitClass(type))
            return IrType.InstanceOf(type);
        return TypeMapper.Scalar(type);
    }
}
