using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Strings, read-only: a string is a <see cref="TypeContext.String"/> (a <c>char[]</c>'s descriptor over the characters
/// of a string .NET lent the call, or of a literal in the module's constant memory). <c>Length</c> and the indexer are
/// an array's length and checked element load (.NET raises what an array raises: NullReferenceException,
/// IndexOutOfRangeException); the ordinal members are <see cref="StringSubstitutes"/>; a string becomes a
/// <c>ReadOnlySpan&lt;char&gt;</c> over its characters. What .NET does with culture data (comparisons and searches
/// without <see cref="StringComparison.Ordinal"/>) and what builds a new string is refused with the reason.
/// </summary>
internal sealed partial class IlImporter
{
    const string NoNewStrings = "compiled code reads strings and does not build them (a message built for a thrown exception excepted): return the parts and build the string in .NET";

    /// <summary>The string literal <paramref name="text"/> as a value.</summary>
    ValueId StringLiteral(string text) => Emit(Opcode.Intrinsic, types.String, [], intrinsic: IntrinsicKind.StringLiteral, text: text);

    /// <summary>Literals still waiting on the stack (for a thrown exception's message) become values: a branch takes values only.</summary>
    void MaterialiseStrings()
    {
        for (int n = 0; n < stack.Count; n++)
        {
            if (stack[n].String is { } text)
                stack[n] = new StackItem(StringLiteral(text));
        }
    }

    /// <summary>Members .NET compares or searches by the current culture unless given a <see cref="StringComparison"/>.</summary>
    static bool IsCultureSensitive(MethodBase callee, ParameterInfo[] parameters) =>
        callee.Name is nameof(string.StartsWith) or nameof(string.EndsWith) or nameof(string.IndexOf) or nameof(string.LastIndexOf) or nameof(string.Compare)
            or nameof(string.CompareTo)
        && parameters.Any(p => p.ParameterType == typeof(string)) && parameters.All(p => p.ParameterType != typeof(StringComparison));

    void StringMember(MethodBase callee)
    {
        ParameterInfo[] parameters = callee.GetParameters();
        string shape = $"string.{callee.Name}({string.Join(", ", parameters.Select(p => p.ParameterType.Name))})";
        switch (callee.Name, parameters.Length)
        {
            case ("get_Length", 0):
                ArrayLength(nativeResult: false);
                return;
            case ("get_Chars", 1):
                {
                    ValueId index = PopIndex();
                    ValueId text = Pop();
                    Push(Emit(Opcode.LoadElement, IrType.I32, [text, index], target: IrType.Char));
                    return;
                }
            case ("op_Implicit", 1):
                StringChars(1);
                return;
        }
        if (ConcatMessage(callee))
            return;
        if (IsCultureSensitive(callee, parameters))
            throw Error(CompilationErrorKind.UnsupportedCall, shape,
                $".NET's {callee.Name} without a StringComparison compares by the current culture, whose data compiled code has not: pass StringComparison.Ordinal");
        List<Type> passed = [.. parameters.Select(p => p.ParameterType)];
        if (passed is [.., var last] && last == typeof(StringComparison))
        {
            if (ConstantOf(stack[^1].Value) is not { } comparison || stack[^1].IsPseudo || comparison != (long)StringComparison.Ordinal)
                throw Error(CompilationErrorKind.UnsupportedCall, shape,
                    "compiled code compares strings ordinally only (culture-aware and case-insensitive comparisons need .NET's globalization data): pass StringComparison.Ordinal");
            Pop();
            passed.RemoveAt(passed.Count - 1);
        }
        if (StringSubstitutes.For(callee, passed) is { } substitute)
        {
            CallSubstitute(substitute);
            return;
        }
        bool builds = callee is ConstructorInfo || ((MethodInfo)callee).ReturnType == typeof(string);
        throw Error(CompilationErrorKind.UnsupportedCall, shape, builds ? NoNewStrings : StringSubstitutes.Supported);
    }

    /// <summary>
    /// <c>text.AsSpan(…)</c> or the conversion to <c>ReadOnlySpan&lt;char&gt;</c>: a span over the string's characters,
    /// made and checked as a span over a <c>char[]</c> is (a null string makes an empty span, as in .NET).
    /// </summary>
    void StringChars(int arity)
    {
        SpanAggregate(typeof(ReadOnlySpan<char>));
        MaterialiseStrings();
        int at = stack.Count - arity;
        if (stack[at].IsPseudo || TypeOf(stack[at].Value) != types.String)
            throw Unsupported($"a ReadOnlySpan<char> over a {(stack[at].IsPseudo ? "value that is not a string" : TypeOf(stack[at].Value).ToString())}", "expected a string");
        stack[at] = new StackItem(Emit(Opcode.Intrinsic, types.ArrayOf(IrType.Char), [stack[at].Value], intrinsic: IntrinsicKind.StringChars));
        CallSpanCore(arity == 1 ? SpanSubstitutes.Core("Span_Over", 1, typeof(char))
            : typeof(SpanSubstitutes).GetMethod(nameof(SpanSubstitutes.Text_Over), BindingFlags.Static | BindingFlags.NonPublic, [typeof(char[]), .. Enumerable.Repeat(typeof(int), arity - 1)])!);
    }
}
