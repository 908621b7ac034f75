using System.Buffers.Binary;
using System.Reflection;
using System.Text;

namespace Targets.Cache;

/// <summary>
/// A cache key under construction: <see cref="Hash128"/> over length-prefixed strings, numbers and
/// byte strings, so no two sequences of inputs hash the same bytes.
/// </summary>
internal sealed class KeyHash
{
    readonly Hash128 hash = new();

    public void Add(long value)
    {
        Span<byte> bytes = stackalloc byte[9];
        bytes[0] = 1;
        BinaryPrimitives.WriteInt64LittleEndian(bytes[1..], value);
        hash.Append(bytes);
    }

    public void Add(string text)
    {
        Add(text.Length);
        hash.Append(Encoding.UTF8.GetBytes(text));
    }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        Add(-bytes.Length - 1);
        hash.Append(bytes);
    }

    public byte[] Finish() => hash.Digest();

    /// <summary>
    /// A jit class's layout as it decides compiled code: size, alignment, and each field's name,
    /// type, CLR type and offset. Both keys hash layouts this way (the host's and the cuda target's).
    /// </summary>
    public void Add(JitClassType layout)
    {
        Add(layout.Size);
        Add(layout.Alignment);
        foreach (JitField field in layout.Fields)
        {
            Add(field.Name);
            Add(field.Type.ToString());
            Add(field.Type.ClrType is { } clr ? TypeName(clr) : "");
            Add(field.Offset);
        }
    }

    /// <summary>A type's name with its assembly's display name (two assemblies may define the same full name).</summary>
    public static string TypeName(Type type) => $"[{type.Assembly.FullName}]{type.FullName ?? type.Name}";

    /// <summary>
    /// A build of the compiler: a hash of its assemblies' module version ids (deterministic builds:
    /// new ids exactly when the code changes), as hex digits.
    /// </summary>
    public static string BuildOf(params Assembly[] assemblies)
    {
        var build = new KeyHash();
        foreach (Assembly compiler in assemblies)
            build.Add(compiler.ManifestModule.ModuleVersionId.ToByteArray());
        return Hash128.Hex(build.Finish());
    }
}
