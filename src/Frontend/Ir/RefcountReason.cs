using System.Globalization;
using System.Text.RegularExpressions;

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
    /// <summary>What a byref points to (a struct's field) takes a reference.</summary>
    ReferentTakes,
    /// <summary>A store through a byref releases the value it replaced the previous time the site ran.</summary>
    ReferentReleasesPrevious,
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
public readonly partial record struct RefcountReason(RefcountWhy Why, int Slot = -1, string? Field = null)
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
        RefcountWhy.ReferentTakes => "the referent takes a reference",
        RefcountWhy.ReferentReleasesPrevious => "store through a reference releases what it replaced last time",
        RefcountWhy.KeptAcrossCall => "what a call may release is owned while in use",
        RefcountWhy.SiteReleasesPrevious => "allocation site releases what it made last time",
        RefcountWhy.CallerGets => "the caller gets a new reference",
        RefcountWhy.ExitReleases => $"exit releases s{Slot}",
        _ => throw new InvalidOperationException($"unknown refcount reason {Why}"),
    };

    /// <summary>The reason a <see cref="ToString"/> text names; null for text no pass writes.</summary>
    public static RefcountReason? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // The slot or field the text names, if any; then the reason whose text is exactly this.
        Match slot = SlotName().Match(text), field = FieldName().Match(text);
        int number = slot.Success ? int.Parse(slot.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        string? name = field.Success ? field.Groups[1].Value : null;
        foreach (RefcountWhy why in Enum.GetValues<RefcountWhy>())
        {
            var candidate = new RefcountReason(why, number, name);
            if (candidate.ToString() == text)
                return candidate;
        }
        return null;
    }

    [GeneratedRegex(@"\bs(\d+)\b")]
    private static partial Regex SlotName();

    [GeneratedRegex(@"\bfield (\S+)")]
    private static partial Regex FieldName();
}
