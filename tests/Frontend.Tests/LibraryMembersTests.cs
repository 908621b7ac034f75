using Targets.Frontend.Il;

namespace Targets.Frontend.Tests;

/// <summary>docs/csharp-subset.md lists the library members compiled code runs as <see cref="LibraryMembers"/> generates them from the importer's tables.</summary>
public sealed class LibraryMembersTests
{
    [Fact]
    public void The_docs_list_the_library_members_the_tables_hold()
    {
        string docs = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "csharp-subset.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        int begin = docs.IndexOf(LibraryMembers.Begin, StringComparison.Ordinal), end = docs.IndexOf(LibraryMembers.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/csharp-subset.md has no generated list of library members");
        string listed = docs[(begin + LibraryMembers.Begin.Length + 1)..end];
        string generated = LibraryMembers.Markdown();
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1" && listed != generated)
        {
            string source = Path.GetFullPath(Path.Combine(Source(), "..", "..", "docs", "csharp-subset.md"));
            File.WriteAllText(source, docs[..(begin + LibraryMembers.Begin.Length + 1)] + generated + docs[end..]);
            return;
        }
        Assert.Equal(generated, listed);
        Assert.Contains("`Fill`", generated, StringComparison.Ordinal);
        Assert.Contains("`CompareExchange`", generated, StringComparison.Ordinal);
    }

    static string Source([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
