namespace Targets.Frontend.Ir;

/// <summary>Why a reference-counting pass inserted an <c>incref</c>/<c>decref</c>; passes match on it, the printer prints it.</summary>
public enum RefcountWhy
{
    /// <summary>A variable (slot) takes a reference to what is stored into it.</summary>
    SlotTakes,
    /// <summary>A slot store releases the value it replaced the previous time the site ran (graveyard form).</summary>
    SlotReleasesPrevious,
    /// <summary>A slot store releases the value it replaced, at once.</summary>
    SlotReleasesReplaced,
    /// <summary>A jit class field takes a reference.</summary>
    FieldTakes,
    /// <summary>A field store releases the value it replaced the previous time the site ran.</summary>
    FieldReleasesPrevious,
    /// <summary>A field store releases the value it replaced, at once.</summary>
    FieldReleasesReplaced,
    /// <summary>An element of an array of instances takes a reference.</summary>
    ElementTakes,
    /// <summary>An element store releases the value it replaced the previous time the site ran.</summary>
    ElementReleasesPrevious,
    /// <summary>A value read from a field or element is owned while a call that may release it runs.</summary>
    KeptAcrossCall,
    /// <summary>An allocation (or call) site releases what it made the previous time it ran.</summary>
    SiteReleasesPrevious,
    /// <summary>A returned reference is the caller's.</summary>
    CallerGets,
    /// <summary>A function's exit releases a slot.</summary>
    ExitReleases,
}

/// <summary>
/// The reason attached to a refcount operation: what it is for, and the slot or field it concerns
/// (<see cref="Slot"/> is -1 and <see cref="Field"/> null where none applies).
/// </summary>
public readonly record struct RefcountReason(RefcountWhy Why, int Slot = -1, string? Field = null)
{
    public override string ToString() => Why switch
    {
        RefcountWhy.SlotTakes => $"s{Slot} takes a reference",
        RefcountWhy.SlotReleasesPrevious => $"store to s{Slot} releases what it replaced last time",
        RefcountWhy.SlotReleasesReplaced => $"store to s{Slot} releases the value it replaced",
        RefcountWhy.FieldTakes => $"field {Field} takes a reference",
        RefcountWhy.FieldReleasesPrevious => $"store to field {Field} releases what it replaced last time",
        RefcountWhy.FieldReleasesReplaced => $"store to field {Field} releases the value it replaced",
        RefcountWhy.ElementTakes => "the element takes a reference",
        RefcountWhy.ElementReleasesPrevious => "element store releases what it replaced last time",
        RefcountWhy.KeptAcrossCall => "what a call may release is owned while in use",
        RefcountWhy.SiteReleasesPrevious => "allocation site releases what it made last time",
        RefcountWhy.CallerGets => "the caller gets a new reference",
        RefcountWhy.ExitReleases => $"exit releases s{Slot}",
        _ => throw new InvalidOperationException($"unknown refcount reason {Why}"),
    };

    /// <summary>The reason a <see cref="ToString"/> text names; null for text no pass writes.</summary>
    public static RefcountReason? Parse(string text)
    {
        foreach (RefcountWhy why in Enum.GetValues<RefcountWhy>())
        {
            string template = new RefcountReason(why, int.MinValue, "\u0001").ToString();
            int hole = template.IndexOfAny(['\u0001', '-']);
            if (hole < 0)
            {
                if (template == text)
                    return new RefcountReason(why);
                continue;
            }
            bool slot = template[hole] == '-';
            string prefix = template[..hole];
            string suffix = slot ? template[(hole + int.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)..] : template[(hole + 1)..];
            if (text.Length <= prefix.Length + suffix.Length || !text.StartsWith(prefix, StringComparison.Ordinal) || !text.EndsWith(suffix, StringComparison.Ordinal))
                continue;
            string middle = text[prefix.Length..^suffix.Length];
            if (!slot)
                return new RefcountReason(why, Field: middle);
            if (int.TryParse(middle, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
                return new RefcountReason(why, n);
        }
        return null;
    }
}
