namespace Targets.Frontend.Il;

/// <summary>
/// What a <see cref="Span{T}"/> or <see cref="ReadOnlySpan{T}"/> is in compiled code: the array it views, where the
/// view starts in it, and how many elements it has. Both span types of one element type map to this struct's
/// aggregate, so a span converts to a read-only one as it is. The array is a counted reference like any array field
/// of a struct, so a span keeps what it views alive (reference counting has no tracing collector to follow the
/// interior pointer .NET's span holds); a span made by <c>stackalloc</c> views a stack array, whose owner is null
/// and never counted. The importer keeps <c>0 &lt;= Start</c> and <c>Start + Length &lt;= Array.Length</c>, so an
/// access checked against <see cref="Length"/> needs no check against the array's.
/// </summary>
internal struct SpanView<T>
{
    public T[]? Array;
    public int Start;
    public int Length;
}

/// <summary>Which .NET types are spans.</summary>
internal static class SpanTypes
{
    /// <summary>Whether <paramref name="type"/> is a closed <c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>.</summary>
    public static bool IsSpan(Type? type) =>
        type is { IsGenericType: true, ContainsGenericParameters: false } && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(Span<>) || definition == typeof(ReadOnlySpan<>));

    /// <summary>The <see cref="SpanView{T}"/> a span type (or the view itself) is compiled as, or null.</summary>
    public static Type? ViewOf(Type type) =>
        IsSpan(type) ? typeof(SpanView<>).MakeGenericType(type.GetGenericArguments()[0])
        : type is { IsGenericType: true } && type.GetGenericTypeDefinition() == typeof(SpanView<>) ? type : null;
}
