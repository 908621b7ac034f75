using System.Globalization;

namespace Targets.Frontend.Analysis;

/// <summary>
/// A polynomial with integer coefficients over numbered unknowns (an index analysis's loop-invariant
/// values: variables, array lengths, loop widths), kept as a sum of monomials. Immutable. Arithmetic
/// is checked: a coefficient that leaves <see cref="long"/> throws <see cref="OverflowException"/>,
/// which callers take as "not provable". Guarantees: equal polynomials have equal
/// <see cref="Terms"/> (no zero coefficients are kept), so <see cref="IsZero"/> and
/// <see cref="Equals(Polynomial?)"/> decide equality of the polynomials, not of their spelling.
/// </summary>
public sealed class Polynomial : IEquatable<Polynomial>
{
    /// <summary>Monomial (its unknowns in ascending order, repeated for powers; empty for the constant) → coefficient.</summary>
    readonly SortedDictionary<string, (int[] Unknowns, long Coefficient)> terms;

    Polynomial(SortedDictionary<string, (int[], long)> terms) => this.terms = terms;

    public static Polynomial Zero { get; } = new([]);

    public static Polynomial Constant(long value) => value == 0 ? Zero : new(new() { [""] = ([], value) });

    /// <summary>The unknown numbered <paramref name="unknown"/> (0 or more).</summary>
    public static Polynomial Unknown(int unknown)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unknown);
        int[] monomial = [unknown];
        return new(new() { [Key(monomial)] = (monomial, 1) });
    }

    public IEnumerable<(int[] Unknowns, long Coefficient)> Terms => terms.Values;

    public bool IsZero => terms.Count == 0;

    /// <summary>The value, when this is a constant; null otherwise.</summary>
    public long? AsConstant => terms.Count == 0 ? 0 : terms.Count == 1 && terms.TryGetValue("", out var c) ? c.Coefficient : null;

    /// <summary>Whether <paramref name="unknown"/> occurs in some monomial.</summary>
    public bool Mentions(int unknown) => terms.Values.Any(t => Array.IndexOf(t.Unknowns, unknown) >= 0);

    static string Key(int[] unknowns) => string.Join(',', unknowns.Select(u => u.ToString(CultureInfo.InvariantCulture)));

    static void Accumulate(SortedDictionary<string, (int[], long)> into, int[] unknowns, long coefficient)
    {
        string key = Key(unknowns);
        long sum = into.TryGetValue(key, out var old) ? checked(old.Item2 + coefficient) : coefficient;
        if (sum == 0)
            into.Remove(key);
        else
            into[key] = (unknowns, sum);
    }

    public static Polynomial operator +(Polynomial a, Polynomial b)
    {
        var sum = new SortedDictionary<string, (int[], long)>(a.terms);
        foreach ((int[] unknowns, long c) in b.terms.Values)
            Accumulate(sum, unknowns, c);
        return new(sum);
    }

    public static Polynomial operator -(Polynomial a) => a * Constant(-1);

    public static Polynomial operator -(Polynomial a, Polynomial b) => a + -b;

    public static Polynomial operator *(Polynomial a, Polynomial b)
    {
        var product = new SortedDictionary<string, (int[], long)>();
        foreach ((int[] x, long cx) in a.terms.Values)
        {
            foreach ((int[] y, long cy) in b.terms.Values)
            {
                int[] merged = [.. x, .. y];
                Array.Sort(merged);
                Accumulate(product, merged, checked(cx * cy));
            }
        }
        return new(product);
    }

    /// <summary>This polynomial with <paramref name="unknown"/> replaced by <paramref name="value"/> wherever it occurs.</summary>
    public Polynomial Substitute(int unknown, Polynomial value)
    {
        Polynomial result = Zero;
        foreach ((int[] unknowns, long c) in terms.Values)
        {
            Polynomial term = Constant(c);
            foreach (int u in unknowns)
                term *= u == unknown ? value : Unknown(u);
            result += term;
        }
        return result;
    }

    /// <summary>This polynomial with every unknown <c>u</c> renamed <paramref name="rename"/>(u).</summary>
    public Polynomial Rename(Func<int, int> rename)
    {
        ArgumentNullException.ThrowIfNull(rename);
        Polynomial result = Zero;
        foreach ((int[] unknowns, long c) in terms.Values)
        {
            Polynomial term = Constant(c);
            foreach (int u in unknowns)
                term *= Unknown(rename(u));
            result += term;
        }
        return result;
    }

    /// <summary>
    /// Whether this is at least 0 for every value of the unknowns that <paramref name="nonNegative"/>
    /// says are at least 0 — decided only where it is evident: every coefficient is positive and every
    /// monomial is made of such unknowns (a product and sum of non-negative numbers). False means
    /// "not shown", never "negative".
    /// </summary>
    public bool IsEvidentlyNonNegative(Func<int, bool> nonNegative) =>
        terms.Values.All(t => t.Coefficient > 0 && t.Unknowns.All(nonNegative));

    public bool Equals(Polynomial? other) =>
        other is not null && terms.Count == other.terms.Count
        && terms.All(t => other.terms.TryGetValue(t.Key, out var o) && o.Coefficient == t.Value.Coefficient);

    public override bool Equals(object? obj) => Equals(obj as Polynomial);

    public override int GetHashCode() => string.Join(';', terms.Select(t => $"{t.Key}:{t.Value.Coefficient}")).GetHashCode(StringComparison.Ordinal);

    /// <summary>E.g. <c>3·u0·u1 + u2 - 1</c>, with <paramref name="name"/> naming the unknowns.</summary>
    public string ToString(Func<int, string> name)
    {
        if (terms.Count == 0)
            return "0";
        var text = new System.Text.StringBuilder();
        foreach ((int[] unknowns, long c) in terms.Values.OrderByDescending(t => t.Unknowns.Length))
        {
            string factors = string.Join("·", unknowns.Select(name));
            long magnitude = Math.Abs(c);
            text.Append(text.Length == 0 ? (c < 0 ? "-" : "") : c < 0 ? " - " : " + ");
            text.Append(unknowns.Length == 0 ? magnitude.ToString(CultureInfo.InvariantCulture)
                : magnitude == 1 ? factors : $"{magnitude.ToString(CultureInfo.InvariantCulture)}·{factors}");
        }
        return text.ToString();
    }

    public override string ToString() => ToString(u => $"u{u}");
}
