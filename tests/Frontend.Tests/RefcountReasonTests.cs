using Targets.Frontend.Ir;

namespace Targets.Frontend.Tests;

public sealed class RefcountReasonTests
{
    [Fact]
    public void Every_reason_reads_back_from_its_text()
    {
        foreach (RefcountWhy why in Enum.GetValues<RefcountWhy>())
        {
            var reason = new RefcountReason(why, 7, "Next");
            RefcountReason expected = reason.ToString().Contains("s7", StringComparison.Ordinal) ? new(why, 7)
                : reason.ToString().Contains("Next", StringComparison.Ordinal) ? new(why, Field: "Next") : new(why);
            Assert.Equal(expected, RefcountReason.Parse(reason.ToString()));
        }
    }

    [Fact]
    public void Text_no_pass_writes_is_no_reason() => Assert.Null(RefcountReason.Parse("because I said so"));
}
