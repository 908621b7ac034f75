namespace Targets.Frontend.Tests;

/// <summary>The settings object: variables read as documented, and scopes that set them without the environment.</summary>
public sealed class TargetsSettingsTests
{
    static TargetsSettings From(params (string Name, string Value)[] variables)
    {
        var set = variables.ToDictionary(v => v.Name, v => v.Value);
        return TargetsSettings.From(name => set.GetValueOrDefault(name));
    }

    [Fact]
    public void Unset_variables_give_the_defaults()
    {
        TargetsSettings settings = From();
        Assert.True(settings.Cache);
        Assert.False(settings.NrtDebug);
        Assert.Null(settings.CacheDirectory);
        Assert.Null(settings.CacheMaxMegabytes);
        Assert.Empty(settings.SearchPath);
    }

    [Fact]
    public void Variables_are_read_as_documented()
    {
        TargetsSettings settings = From(("TARGETS_CACHE", "off"), ("TARGETS_NRT_DEBUG", "true"), ("TARGETS_CACHE_MAX_MB", "64"),
            ("TARGETS_DUMP", "MatMul"), ("PATH", "/a::/b"), ("TARGETS_LINKER", "orc"), ("TARGETS_PTXAS", ""));
        Assert.False(settings.Cache);
        Assert.True(settings.NrtDebug);
        Assert.Equal(64, settings.CacheMaxMegabytes);
        Assert.Equal("MatMul", settings.Dump);
        Assert.Equal(["/a", "/b"], settings.SearchPath);
        Assert.True(settings.OrcLinker);
        Assert.Null(settings.Ptxas); // empty is unset
        Assert.Null(From(("TARGETS_CACHE_MAX_MB", "-1")).CacheMaxMegabytes);
    }

    [Fact]
    public async Task A_scope_sets_the_current_settings_and_restores_them()
    {
        TargetsSettings before = TargetsSettings.Current;
        using (TargetsSettings.Use(before with { Dump = "Scoped" }))
        {
            Assert.Equal("Scoped", TargetsSettings.Current.Dump);
            Assert.Equal("Scoped", await Task.Run(() => TargetsSettings.Current.Dump)); // work the scope starts sees it too
        }
        Assert.Same(before, TargetsSettings.Current);
    }
}
