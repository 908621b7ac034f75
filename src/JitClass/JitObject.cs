using System.Dynamic;
using System.Globalization;
using System.Runtime.InteropServices;
using Targets.Runtime;

namespace Targets;

/// <summary>What a box needs from the target that made its instance: reference counting and method calls.</summary>
public interface IJitObjectOwner
{
    /// <summary>Adds a reference to an instance's MemInfo.</summary>
    void Retain(nint memInfo);

    /// <summary>Drops a reference (the instance dies with its last one).</summary>
    void Release(nint memInfo);

    /// <summary>Calls a public instance method of the jit class on <paramref name="target"/>.</summary>
    object? Invoke(JitObject target, string method, object?[] args);

    /// <summary>
    /// Pins a .NET array in a new MemInfo and returns its descriptor (one reference, the caller's),
    /// so an instance can keep it; the MemInfo's destructor unpins it.
    /// </summary>
    nint Adopt(Array array);

    /// <summary>The layouts of the code that made the instance (for boxes of the instances it references).</summary>
    LayoutContext Layouts { get; }

    /// <summary>A new .NET collection of type <paramref name="declared"/> (<c>List&lt;int&gt;</c>, …) holding the contents of the compiled container <paramref name="container"/>.</summary>
    /// <exception cref="ArgumentException">Its elements hold references, which cannot cross.</exception>
    object CopyOut(JitObject container, Type declared);

    /// <summary>A new compiled container holding the contents of the .NET collection <paramref name="collection"/>; the box owns its one reference.</summary>
    /// <exception cref="ArgumentException">Its elements hold references, or it compares with a comparer of its own.</exception>
    JitObject CopyIn(object collection);
}

/// <summary>
/// A box: .NET's handle on a jit class instance living in NRT memory. It holds one reference,
/// dropped by <see cref="Dispose"/> (once) or, if forgotten, by the finalizer. Fields read and
/// write the instance's memory directly; methods run the compiled code. Works with <c>dynamic</c>.
/// </summary>
public sealed unsafe class JitObject : DynamicObject, IDisposable
{
    readonly IJitObjectOwner owner;
    nint memInfo;

    /// <summary>Wraps <paramref name="memInfo"/>, taking over one reference the caller owns.</summary>
    public JitObject(JitClassType type, nint memInfo, IJitObjectOwner owner)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(owner);
        if (memInfo == 0)
            throw new ArgumentException("Expected a MemInfo pointer, got null.", nameof(memInfo));
        Type = type;
        this.memInfo = memInfo;
        this.owner = owner;
    }

    public JitClassType Type { get; }

    /// <summary>The layout context of the code that made the instance.</summary>
    public LayoutContext Layouts => owner.Layouts;

    /// <summary>The instance's MemInfo (for compiled code and debugging).</summary>
    public nint MemInfo
    {
        get
        {
            ObjectDisposedException.ThrowIf(memInfo == 0, this);
            return memInfo;
        }
    }

    /// <summary>The instance's reference count (this box holds one).</summary>
    public long RefCount => Nrt.RefCount(MemInfo);

    byte* Data => (byte*)(MemInfo + NrtRuntimeIr.HeaderSize);

    /// <summary>
    /// The class of the live instance at <paramref name="instance"/>: <paramref name="declared"/> (what the field, element
    /// or result holding it is declared as) or, read from its class record's id, the class derived from it that it is.
    /// </summary>
    public static Type ClassOf(nint instance, Type declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        if (declared.IsSealed || instance == 0)
            return declared;
        nint record = *(nint*)(instance + 8) & ~(nint)NrtRuntimeIr.TagBits;
        return Frontend.Ir.ClassIdentity.TypeOf(*(long*)(record + NrtRuntimeIr.ClassRecordId)) is { } actual && declared.IsAssignableFrom(actual) ? actual : declared;
    }

    /// <summary>The instance's C struct (valid while the box holds its reference): read it with <c>Marshal.PtrToStructure</c>.</summary>
    public nint DataPointer => (nint)Data;

    public T Get<T>(string member) => (T)Get(member)!;

    public void Set<T>(string member, T value) => Set(member, (object?)value);

    /// <summary>A public instance property of the class named <paramref name="name"/> where no field has that name.</summary>
    System.Reflection.PropertyInfo? Property(string name) =>
        Type.Fields.Any(f => f.Name == name) ? null
            : Type.ClrType.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance);

    /// <summary>
    /// A field's value (or a property's, through its compiled getter): a number, an array (the .NET array itself if one was stored, else a copy; an
    /// array of instances as a new <c>JitObject[]</c> of new boxes), a new box of a referenced
    /// instance (null for none), or for a collection field (<c>List&lt;T&gt;</c>, …) a new .NET collection with its contents.
    /// </summary>
    public object? Get(string field)
    {
        // A property runs its compiled getter, as a C# caller of the class would.
        if (Property(field) is { } property)
            return property.GetMethod is { IsPublic: true } getter
                ? Invoke(getter.Name)
                : throw new ArgumentException($"{Type.Name}.{field} has no public getter.", nameof(field));
        JitField f = Type.Field(field);
        byte* at = Data + f.Offset;
        JitType type = f.Type;
        ThrowIfOpaque(f);
        if (IsCollection(f))
        {
            // A collection field (List<T>, …) reads as a .NET copy of the compiled container, as a call's result crosses.
            nint held = *(nint*)at;
            if (held == 0)
                return null;
            owner.Retain(held);
            using var container = new JitObject(owner.Layouts.Layout(type.InstanceOf!), held, owner);
            return owner.CopyOut(container, f.Field.FieldType);
        }
        if (type.InstanceOf is { } jitClass)
        {
            nint other = *(nint*)at;
            if (other == 0)
                return null;
            owner.Retain(other);
            return new JitObject(owner.Layouts.Layout(ClassOf(other, jitClass)), other, owner);
        }
        if (type.Element is { InstanceOf: { } elementClass })
            return BoxElements(*(nint*)at, elementClass, type.Rank, owner);
        if (type.Element is { Element: not null })
            throw new ArgumentException($"{Type.Name}.{field} is {type}: arrays of arrays do not cross to .NET (each row is compiled code's own array); read it in compiled code.", nameof(field));
        if (type.Element is not null)
            return CopyArray(*(nint*)at, type);
        if (type.IsStruct)
            return ReadStructMethod.MakeGenericMethod(type.ClrType!).Invoke(null, [(nint)at]);
        object number = ReadScalar(at, type);
        return type.ClrType!.IsEnum ? Enum.ToObject(type.ClrType, number) : number;
    }

    /// <summary>
    /// A struct that holds arrays or instances (or an array of such structs) is compiled code's alone:
    /// its references are NRT's counted pointers, which a .NET struct cannot hold.
    /// </summary>
    void ThrowIfOpaque(JitField field)
    {
        if (field.Type.IsStructWithReferences)
            throw new ArgumentException($"{Type.Name}.{field.Name} is a {field.Type.ClrType!.Name} that holds arrays or jit class instances: .NET cannot read or write it through a box (compiled code counts its references); use it from compiled code, or give the class a method that returns what you need from it.", nameof(field));
    }

    static readonly System.Reflection.MethodInfo ReadStructMethod = typeof(JitObject).GetMethod(nameof(ReadStruct), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;
    static readonly System.Reflection.MethodInfo WriteStructMethod = typeof(JitObject).GetMethod(nameof(WriteStruct), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;

    static object ReadStruct<T>(nint at)
        where T : unmanaged => *(T*)at;

    static void WriteStruct<T>(nint at, object value)
        where T : unmanaged => *(T*)at = (T)value;

    /// <summary>
    /// Writes a field (or a property, through its compiled setter). Numbers must have the field's type
    /// or convert to it implicitly, as in C# (an int to a double field); instances are given as boxes;
    /// arrays as .NET arrays of the field's type, which the instance then keeps (pinned) as themselves.
    /// An array of instances can only be cleared (set to null) from .NET.
    /// </summary>
    public void Set(string field, object? value)
    {
        if (Property(field) is { } property)
        {
            _ = property.SetMethod is { IsPublic: true } setter
                ? Invoke(setter.Name, value)
                : throw new ArgumentException($"{Type.Name}.{field} has no public setter.", nameof(field));
            return;
        }
        JitField f = Type.Field(field);
        byte* at = Data + f.Offset;
        JitType type = f.Type;
        ThrowIfOpaque(f);
        if (IsCollection(f) && value is not null and not JitObject)
        {
            // A .NET collection is copied into a new compiled container, which the field then holds.
            if (value.GetType() != f.Field.FieldType)
                throw new ArgumentException($"{Type.Name}.{field} is {Frontend.Il.Collections.CollectionTypes.Describe(f.Field.FieldType)}; got {Frontend.Il.Collections.CollectionTypes.Describe(value.GetType())}.", nameof(value));
            using JitObject container = owner.CopyIn(value);
            Set(field, container);
            return;
        }
        if (type.InstanceOf is not null)
        {
            if (value is not null and not JitObject)
                throw new ArgumentException($"{Type.Name}.{field} holds a {type}: expected a JitObject or null, got {value.GetType().Name}.", nameof(value));
            var box = (JitObject?)value;
            if (box is not null && !type.InstanceOf.IsAssignableFrom(box.Type.ClrType))
                throw new ArgumentException($"{Type.Name}.{field} holds a {type}, got a box of {box.Type.Name}.", nameof(value));
            nint incoming = box?.MemInfo ?? 0;
            // Counted in as a call into compiled code is: the cycle collector never runs in the middle of the change.
            using (CallCounter.Current.Counted())
            {
                nint old = *(nint*)at;
                if (incoming != 0)
                    owner.Retain(incoming);
                *(nint*)at = incoming;
                if (old != 0)
                    owner.Release(old);
            }
            return;
        }
        if (type.Element is not null)
        {
            if (value is not null && type.Element.InstanceOf is not null)
                throw new ArgumentException($"{Type.Name}.{field} is {type}: arrays of jit class instances cannot cross from .NET to compiled code yet (a field of one can only be set to null); make the array in compiled code.", nameof(value));
            if (value is not null && type.Element.Element is not null)
                throw new ArgumentException($"{Type.Name}.{field} is {type}: arrays of arrays cannot cross from .NET to compiled code (a field of one can only be set to null); make the array in compiled code.", nameof(value));
            if (value is not null && value.GetType() != type.ClrType)
                throw new ArgumentException($"{Type.Name}.{field} is {type.ClrType!.Name}; got {value.GetType().Name}.", nameof(value));
            // The array is kept as itself: pinned in a MemInfo of its own while the field holds it.
            nint descriptor = value is null ? 0 : owner.Adopt((Array)value);
            using (CallCounter.Current.Counted())
            {
                nint replaced = *(nint*)at;
                *(nint*)at = descriptor;
                if (replaced != 0 && *(nint*)(replaced + DescriptorLayout.Owner) is var old and not 0)
                    owner.Release(old);
            }
            return;
        }
        if (type.IsStruct || type.ClrType!.IsEnum)
        {
            // A struct or an enum: exactly its type, as C# would take it.
            if (value is null || value.GetType() != type.ClrType)
                throw new ArgumentException($"{Type.Name}.{field} is {type.ClrType!.Name}; got {value?.GetType().Name ?? "null"}.", nameof(value));
            if (type.IsStruct)
                WriteStructMethod.MakeGenericMethod(type.ClrType).Invoke(null, [(nint)at, value]);
            else
                WriteScalar(at, Convert.ChangeType(value, Enum.GetUnderlyingType(type.ClrType), CultureInfo.InvariantCulture));
            return;
        }
        if (value is null || !ImplicitConversion.Exists(value.GetType(), type.ClrType!))
            throw new ArgumentException($"{Type.Name}.{field} is {type.ClrType!.Name}; got {value?.GetType().Name ?? "null"}"
                + (value is null ? "." : $", which does not convert implicitly to {type.ClrType!.Name} (cast it first)."), nameof(value));
        WriteScalar(at, ImplicitConversion.Convert(value, type.ClrType!));
    }

    /// <summary>Calls a public instance method of the class on this instance (compiled on first use).</summary>
    public object? Invoke(string method, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(memInfo == 0, this);
        return owner.Invoke(this, method, args);
    }

    /// <summary>Whether <paramref name="f"/> is declared a collection compiled code holds as a container of its own (<c>List&lt;T&gt;</c>, …).</summary>
    static bool IsCollection(JitField f) =>
        f.Type.InstanceOf is { } held && f.Field?.FieldType is { } declared && declared != held && Frontend.Il.Collections.CollectionTypes.SubstituteOf(declared) == held;

    static object ReadScalar(byte* at, JitType type) => System.Type.GetTypeCode(type.ClrType) switch
    {
        TypeCode.Boolean => *at != 0,
        TypeCode.Char => *(char*)at,
        TypeCode.SByte => *(sbyte*)at,
        TypeCode.Byte => *at,
        TypeCode.Int16 => *(short*)at,
        TypeCode.UInt16 => *(ushort*)at,
        TypeCode.Int32 => *(int*)at,
        TypeCode.UInt32 => *(uint*)at,
        TypeCode.Int64 => *(long*)at,
        TypeCode.UInt64 => *(ulong*)at,
        TypeCode.Single => *(float*)at,
        TypeCode.Double => *(double*)at,
        _ when type.ClrType == typeof(nint) => *(nint*)at,
        _ => *(nuint*)at,
    };

    static void WriteScalar(byte* at, object value)
    {
        switch (value)
        {
            case bool b: *at = b ? (byte)1 : (byte)0; break;
            case char c: *(char*)at = c; break;
            case sbyte v: *(sbyte*)at = v; break;
            case byte v: *at = v; break;
            case short v: *(short*)at = v; break;
            case ushort v: *(ushort*)at = v; break;
            case int v: *(int*)at = v; break;
            case uint v: *(uint*)at = v; break;
            case long v: *(long*)at = v; break;
            case ulong v: *(ulong*)at = v; break;
            case float v: *(float*)at = v; break;
            case double v: *(double*)at = v; break;
            case nint v: *(nint*)at = v; break;
            case nuint v: *(nuint*)at = v; break;
        }
    }

    static Array? CopyArray(nint descriptor, JitType type)
    {
        if (descriptor == 0)
            return null;
        if (DescriptorLayout.AdoptedArray(descriptor) is { } adopted)
            return adopted; // a .NET array the instance keeps: the array itself
        byte* d = (byte*)descriptor;
        var lengths = new int[type.Rank];
        if (type.Rank == 1)
            lengths[0] = (int)*(long*)(d + DescriptorLayout.Length);
        for (int n = 0; type.Rank > 1 && n < type.Rank; n++)
            lengths[n] = (int)*(long*)(d + DescriptorLayout.Dimensions + 8 * n);
        var copy = Array.CreateInstance(type.Element!.ClrType!, lengths);
        long bytes = *(long*)(d + DescriptorLayout.Length) * type.Element.Size;
        fixed (byte* to = &MemoryMarshal.GetArrayDataReference(copy))
            Buffer.MemoryCopy(*(void**)(d + DescriptorLayout.Data), to, bytes, bytes);
        return copy;
    }

    /// <summary>
    /// .NET's view of an array of instances made by compiled code: a new <c>JitObject[]</c> (or
    /// <c>JitObject[,]</c>…) of new boxes, each holding a reference of its own; null elements stay
    /// null. The array's own reference is left to the caller. Null for a null descriptor.
    /// </summary>
    internal static Array? BoxElements(nint descriptor, Type jitClass, int rank, IJitObjectOwner owner)
    {
        if (descriptor == 0)
            return null;
        byte* d = (byte*)descriptor;
        long count = *(long*)(d + DescriptorLayout.Length);
        var lengths = new int[rank];
        lengths[0] = (int)count;
        for (int n = 0; rank > 1 && n < rank; n++)
            lengths[n] = (int)*(long*)(d + DescriptorLayout.Dimensions + 8 * n);
        Array boxes = Array.CreateInstance(typeof(JitObject), lengths);
        nint* elements = *(nint**)(d + DescriptorLayout.Data);
        var index = new int[rank];
        for (long k = 0; k < count; k++)
        {
            if (elements[k] != 0)
            {
                owner.Retain(elements[k]);
                boxes.SetValue(new JitObject(owner.Layouts.Layout(ClassOf(elements[k], jitClass)), elements[k], owner), index);
            }
            // The next index in row-major order, the order of the elements in memory.
            for (int n = rank - 1; n >= 0 && ++index[n] == lengths[n]; n--)
                index[n] = 0;
        }
        return boxes;
    }

    public override bool TryGetMember(GetMemberBinder binder, out object? result)
    {
        ArgumentNullException.ThrowIfNull(binder);
        result = Get(binder.Name);
        return true;
    }

    public override bool TrySetMember(SetMemberBinder binder, object? value)
    {
        ArgumentNullException.ThrowIfNull(binder);
        Set(binder.Name, value);
        return true;
    }

    public override bool TryInvokeMember(InvokeMemberBinder binder, object?[]? args, out object? result)
    {
        ArgumentNullException.ThrowIfNull(binder);
        result = Invoke(binder.Name, args ?? []);
        return true;
    }

    public override IEnumerable<string> GetDynamicMemberNames() =>
        Type.Fields.Select(f => f.Name)
            .Concat(Type.ClrType.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p => p.Name))
            .Concat(Type.ClrType.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName).Select(m => m.Name))
            .Distinct();

    /// <summary>The class and its fields, e.g. <c>Vec(X=1, Y=2)</c>.</summary>
    public override string ToString()
    {
        if (memInfo == 0)
            return $"{Type.Name}(disposed)";
        return $"{Type.Name}({string.Join(", ", Type.Fields.Select(f => $"{f.Name}={Describe(f)}"))})";
    }

    string Describe(JitField field)
    {
        if (field.Type.IsStructWithReferences)
            return $"<{field.Type}>";
        if (field.Type.IsScalar || field.Type.IsStruct)
            return Convert.ToString(Get(field.Name), CultureInfo.InvariantCulture) ?? "";
        nint value = *(nint*)(Data + field.Offset);
        return value == 0 ? "null" : $"<{field.Type}>";
    }

    /// <summary>Drops this box's reference (once).</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    void Release()
    {
        nint held = Interlocked.Exchange(ref memInfo, 0);
        if (held != 0)
            owner.Release(held);
    }

    ~JitObject() => Release();
}
