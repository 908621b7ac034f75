using System.Reflection;
using System.Runtime.CompilerServices;

namespace Targets.Frontend.Il;

/// <summary>
/// <c>[InlineArray(n)]</c> structs (C# 12's fixed-size buffers) and the helpers C# calls to reach their elements, which
/// it emits into each assembly's <c>&lt;PrivateImplementationDetails&gt;</c> class.
/// </summary>
internal static class InlineArrays
{
    /// <summary>The most elements an inline array may have in compiled code (each is a field of its aggregate).</summary>
    public const int MostElements = 1024;

    /// <summary>The length <c>[InlineArray]</c> gives <paramref name="type"/>, or null for other types.</summary>
    public static int? LengthOf(Type type) => type.GetCustomAttribute<InlineArrayAttribute>()?.Length;

    /// <summary>What a call of a C# helper for inline arrays does, or null for other methods.</summary>
    public static InlineArrayHelper? HelperOf(MethodBase callee) =>
        callee.DeclaringType is { Name: "<PrivateImplementationDetails>" } && callee.IsStatic
            ? callee.Name switch
            {
                "InlineArrayElementRef" or "InlineArrayElementRefReadOnly" => InlineArrayHelper.Element,
                "InlineArrayFirstElementRef" or "InlineArrayFirstElementRefReadOnly" => InlineArrayHelper.First,
                "InlineArrayAsSpan" or "InlineArrayAsReadOnlySpan" => InlineArrayHelper.Span,
                _ => null,
            }
            : null;
}

/// <summary>The helpers C# emits for inline arrays.</summary>
internal enum InlineArrayHelper
{
    /// <summary><c>ref TElement (ref TBuffer, int index)</c>: the element at an index (a constant C# checked, or <c>foreach</c>'s counter).</summary>
    Element,
    /// <summary><c>ref TElement (ref TBuffer)</c>: the first element.</summary>
    First,
    /// <summary><c>Span&lt;TElement&gt; (ref TBuffer, int length)</c>: a span over every element.</summary>
    Span,
}
