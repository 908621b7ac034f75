using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>
/// The .NET arrays compiled code reads through <c>static readonly</c> fields: each the array object itself, pinned by a
/// GCHandle for the process's life (the field's reference never changes once its class is initialised), behind a
/// descriptor of native memory (owner null: never counted; host the object's address, so a return gives .NET the same
/// array). Compiled code names it by a symbol of the field's module and token, resolved in each process that loads the
/// code — freshly compiled or from the disk cache — so no address of one process is kept in the cache.
/// </summary>
internal static unsafe class StaticArrays
{
    const string Prefix = "targets.static.";
    static readonly Lock Gate = new();
    static readonly Dictionary<FieldInfo, nint> Descriptors = [];

    /// <summary>The symbol compiled code reaches the array of <paramref name="field"/> by.</summary>
    public static string SymbolOf(FieldInfo field) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{field.Module.ModuleVersionId:N}.{field.MetadataToken:x8}");

    /// <summary>Defines the symbol of <paramref name="field"/> for every linker (once), at its descriptor.</summary>
    public static void Define(FieldInfo field) => HostSymbols.Define(SymbolOf(field), Descriptor(field));

    /// <summary>The descriptor a symbol of <see cref="SymbolOf"/> names, made now if need be; 0 for any other name or a field no loaded module has.</summary>
    public static nint Resolve(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            return 0;
        string[] parts = name[Prefix.Length..].Split('.');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out Guid module)
            || !int.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int token))
            return 0;
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            foreach (Module candidate in assembly.GetModules())
            {
                if (candidate.ModuleVersionId == module && candidate.ResolveField(token) is { IsStatic: true, IsInitOnly: true } field)
                    return Descriptor(field);
            }
        }
        return 0;
    }

    static nint Descriptor(FieldInfo field)
    {
        lock (Gate)
        {
            if (Descriptors.TryGetValue(field, out nint known))
                return known;
            var array = (Array)(field.GetValue(null) ?? throw new InvalidOperationException($"static readonly field {field.Name} holds no array")); // the importer saw one
            nint data = GCHandle.Alloc(array, GCHandleType.Pinned).AddrOfPinnedObject(); // never freed: the field holds the array for good
            nint descriptor = (nint)NativeMemory.AllocZeroed((nuint)DescriptorLayout.Size(1));
            *(nint*)(descriptor + DescriptorLayout.Data) = data;
            *(long*)(descriptor + DescriptorLayout.Length) = array.Length;
            *(nint*)(descriptor + DescriptorLayout.Host) = System.Runtime.CompilerServices.Unsafe.As<Array, nint>(ref array); // the object's address: pinned, it stays
            Descriptors[field] = descriptor;
            return descriptor;
        }
    }
}
