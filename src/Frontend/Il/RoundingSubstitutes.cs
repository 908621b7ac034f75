using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>
/// <c>Math.Round</c> and <c>MathF.Round</c> with digits or a <see cref="MidpointRounding"/>, as .NET computes them:
/// for values below 10^16 (10^8 for float) the value is scaled by a power of ten, rounded in the mode and scaled
/// back; larger ones are returned as they are, without looking at the mode. .NET's own bodies check the mode
/// through a throw helper that formats the invalid value into its message at run time, which compiled code raises
/// through <see cref="InvalidMode"/>, made on the host with the value (an exception factory).
/// </summary>
internal static class RoundingSubstitutes
{
    /// <summary>The substitute of a <c>Round</c> overload with digits or a mode, or null.</summary>
    public static MethodInfo? For(MethodBase member)
    {
        if (member.Name != nameof(Math.Round) || (member.DeclaringType != typeof(Math) && member.DeclaringType != typeof(MathF)))
            return null;
        Type[] parameters = [.. member.GetParameters().Select(p => p.ParameterType)];
        if (parameters.Length < 2 || parameters[0] != typeof(double) && parameters[0] != typeof(float))
            return null;
        return typeof(RoundingSubstitutes).GetMethod(nameof(Round), BindingFlags.Static | BindingFlags.NonPublic, parameters);
    }

    static ReadOnlySpan<double> Powers => [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    static ReadOnlySpan<float> SinglePowers => [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f];

    // The messages and parameter names of .NET's own exceptions here.
#pragma warning disable CA2208, CA1305
    static double Round(double value, int digits) => Round(value, digits, MidpointRounding.ToEven);

    static double Round(double value, int digits, MidpointRounding mode)
    {
        if ((uint)digits > 15)
            throw new ArgumentOutOfRangeException(nameof(digits), "Rounding digits must be between 0 and 15, inclusive.");
        if (Math.Abs(value) < 1e16)
        {
            double power = Powers[digits];
            value = Round(value * power, mode) / power;
        }
        return value;
    }

    static double Round(double value, MidpointRounding mode) => mode switch
    {
        MidpointRounding.ToEven => Math.Round(value),
        MidpointRounding.AwayFromZero => Math.Truncate(value + Math.CopySign(0.49999999999999994, value)),
        MidpointRounding.ToZero => Math.Truncate(value),
        MidpointRounding.ToNegativeInfinity => Math.Floor(value),
        MidpointRounding.ToPositiveInfinity => Math.Ceiling(value),
        _ => throw InvalidMode((int)mode),
    };

    static float Round(float value, int digits) => Round(value, digits, MidpointRounding.ToEven);

    static float Round(float value, int digits, MidpointRounding mode)
    {
        if ((uint)digits > 6)
            throw new ArgumentOutOfRangeException(nameof(digits), "Rounding digits must be between 0 and 6, inclusive.");
        if (MathF.Abs(value) < 1e8f)
        {
            float power = SinglePowers[digits];
            value = Round(value * power, mode) / power;
        }
        return value;
    }

    static float Round(float value, MidpointRounding mode) => mode switch
    {
        MidpointRounding.ToEven => MathF.Round(value),
        MidpointRounding.AwayFromZero => MathF.Truncate(value + MathF.CopySign(0.49999997f, value)),
        MidpointRounding.ToZero => MathF.Truncate(value),
        MidpointRounding.ToNegativeInfinity => MathF.Floor(value),
        MidpointRounding.ToPositiveInfinity => MathF.Ceiling(value),
        _ => throw InvalidMode((int)mode),
    };

    /// <summary>What .NET throws for a mode outside the enum (made on the host, with the value in its message).</summary>
    static ArgumentException InvalidMode(int mode) =>
        new($"The value '{(MidpointRounding)mode}' is not valid for this usage of the type {nameof(MidpointRounding)}.", nameof(mode));
#pragma warning restore CA2208, CA1305
}
