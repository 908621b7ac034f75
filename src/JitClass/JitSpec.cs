using System.Collections;

namespace Targets;

/// <summary>
/// An explicit jit class spec: the fields, in order, with their types (Numba's <c>spec</c>).
/// Written as a collection initialiser: <c>new JitSpec { { "X", JitType.Int32 }, { "Y", JitType.Float32 } }</c>.
/// </summary>
public sealed class JitSpec : IEnumerable<KeyValuePair<string, JitType>>
{
    readonly List<KeyValuePair<string, JitType>> fields = [];

    public void Add(string name, JitType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(type);
        if (fields.Any(f => f.Key == name))
            throw new ArgumentException($"The spec already names field '{name}'.", nameof(name));
        fields.Add(new(name, type));
    }

    public int Count => fields.Count;

    public IEnumerator<KeyValuePair<string, JitType>> GetEnumerator() => fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
