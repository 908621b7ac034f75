using System.Numerics;
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

    static double Round(double value, int digits) => Round(value, digits, MidpointRounding.ToEven);

    static double Round(double value, int digits, MidpointRounding mode) => Round(value, digits, mode, Powers, 1e16);

    static double Round(double value, MidpointRounding mode) => Round<double>(value, mode);

    static float Round(float value, int digits) => Round(value, digits, MidpointRounding.ToEven);

    static float Round(float value, int digits, MidpointRounding mode) => Round(value, digits, mode, SinglePowers, 1e8f);

    static float Round(float value, MidpointRounding mode) => Round<float>(value, mode);

    /// <summary>
    /// Rounds to <paramref name="digits"/> (at most <c>powers.Length - 1</c>) in <paramref name="mode"/> a value below
    /// <paramref name="limit"/>; a larger one is returned as it is, its mode unchecked.
    /// </summary>
    static T Round<T>(T value, int digits, MidpointRounding mode, ReadOnlySpan<T> powers, T limit) where T : IFloatingPointIeee754<T>
    {
        if ((uint)digits >= (uint)powers.Length)
            throw DigitsOutOfRange(powers.Length - 1);
        if (T.Abs(value) < limit)
        {
            T power = powers[digits];
            value = Round(value * power, mode) / power;
        }
        return value;
    }

    /// <summary>Rounds to an integer in <paramref name="mode"/> (away from zero adds the largest value under one half, as .NET does).</summary>
    static T Round<T>(T value, MidpointRounding mode) where T : IFloatingPointIeee754<T> => mode switch
    {
        MidpointRounding.ToEven => T.Round(value),
        MidpointRounding.AwayFromZero => T.Truncate(value + T.CopySign(T.BitDecrement(T.One / (T.One + T.One)), value)),
        MidpointRounding.ToZero => T.Truncate(value),
        MidpointRounding.ToNegativeInfinity => T.Floor(value),
        MidpointRounding.ToPositiveInfinity => T.Ceiling(value),
        _ => throw InvalidMode((int)mode),
    };

    /// <summary>What .NET throws for digits past <paramref name="most"/> (its parameter name is the caller's).</summary>
#pragma warning disable CA2208
    static ArgumentOutOfRangeException DigitsOutOfRange(int most) =>
        new("digits", $"Rounding digits must be between 0 and {most}, inclusive.");
#pragma warning restore CA2208

    /// <summary>What .NET throws for a mode outside the enum (made on the host, with the value in its message).</summary>
    static ArgumentException InvalidMode(int mode) =>
        new($"The value '{(MidpointRounding)mode}' is not valid for this usage of the type {nameof(MidpointRounding)}.", nameof(mode));
}
