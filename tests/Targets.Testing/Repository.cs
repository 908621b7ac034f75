namespace Targets.Testing;

/// <summary>The checkout the tests run from: the folder above the test assembly that holds Targets.sln.</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Targets.sln")))
                    return dir.FullName;
            }
            throw new InvalidOperationException($"Targets.sln not found above {AppContext.BaseDirectory}");
        }
    }
}
