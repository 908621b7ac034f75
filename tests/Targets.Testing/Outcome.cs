using System.Reflection;

namespace Targets.Testing;

/// <summary>What one call did: its return value or exception, and its array arguments afterwards.</summary>
public sealed record Outcome(object? Value, Exception? Exception, object?[] ArgsAfter)
{
    /// <summary>Runs <paramref name="call"/>; an exception it throws is the outcome (reflection's wrapper removed when <paramref name="unwrapReflection"/>).</summary>
    public static Outcome Of(Func<object?[], object?> call, object?[] args, bool unwrapReflection)
    {
        try
        {
            return new Outcome(call(args), null, args);
        }
        catch (TargetInvocationException e) when (unwrapReflection && e.InnerException is not null)
        {
            return new Outcome(null, e.InnerException, args);
        }
#pragma warning disable CA1031 // any exception is an outcome to compare
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new Outcome(null, e, args);
        }
    }

    public string Describe()
    {
        string result = Exception is null
            ? $"returned {Format.Value(Value)}"
            : $"threw {Exception.GetType().FullName}: \"{Exception.Message}\"";
        var arrays = ArgsAfter.Select((a, i) => (a, i)).Where(x => x.a is Array).Select(x => $"arg{x.i} after = {Format.Value(x.a)}");
        return string.Join("; ", new[] { result }.Concat(arrays));
    }

    /// <summary>Null when the two outcomes agree, else what differs.</summary>
    public static string? Difference(Outcome expected, Outcome actual)
    {
        if (expected.Exception is not null || actual.Exception is not null)
        {
            if (expected.Exception is null || actual.Exception is null)
                return "one threw, the other did not";
            if (expected.Exception.GetType() != actual.Exception.GetType())
                return "exception types differ";
            if (expected.Exception.Message != actual.Exception.Message)
                return "exception messages differ";
            if ((expected.Exception as ArgumentException)?.ParamName != (actual.Exception as ArgumentException)?.ParamName)
                return "exception parameter names differ";
            if (!Same((expected.Exception as ArgumentOutOfRangeException)?.ActualValue, (actual.Exception as ArgumentOutOfRangeException)?.ActualValue))
                return "exception actual values differ";
            if (expected.Exception.InnerException?.GetType() != actual.Exception.InnerException?.GetType())
                return "inner exceptions differ";
        }
        else if (!Same(expected.Value, actual.Value))
        {
            return "return values differ";
        }
        else if (expected.Value is string text && (expected.ArgsAfter.Any(a => ReferenceEquals(a, text)) || string.IsInterned(text) == (object)text) && !ReferenceEquals(text, actual.Value))
        {
            // Both calls got the same string objects (Inputs.Clone copies arrays only): a string .NET returns as it came, or a literal, is that object.
            return "the returned string is another object than .NET's (an argument, or an interned literal)";
        }
        for (int i = 0; i < expected.ArgsAfter.Length; i++)
        {
            if (expected.ArgsAfter[i] is Array && !Same(expected.ArgsAfter[i], actual.ArgsAfter[i]))
                return $"array argument {i} differs after the call";
        }
        return null;
    }

    /// <summary>Exact equality: same type, floats bit for bit (any two NaNs are equal), arrays element-wise.</summary>
    public static bool Same(object? a, object? b)
    {
        if (a is null || b is null)
            return a is null && b is null;
        if (a.GetType() != b.GetType())
            return false;
        switch (a)
        {
            case float x:
            {
                float y = (float)b;
                return (float.IsNaN(x) && float.IsNaN(y)) || BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y);
            }
            case double x:
            {
                double y = (double)b;
                return (double.IsNaN(x) && double.IsNaN(y)) || BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y);
            }
            case Array x:
            {
                var y = (Array)b;
                if (x.Rank != y.Rank)
                    return false;
                for (int d = 0; d < x.Rank; d++)
                    if (x.GetLength(d) != y.GetLength(d))
                        return false;
                var ex = x.GetEnumerator();
                var ey = y.GetEnumerator();
                while (ex.MoveNext() && ey.MoveNext())
                    if (!Same(ex.Current, ey.Current))
                        return false;
                return true;
            }
            default:
                return a.Equals(b);
        }
    }
}
