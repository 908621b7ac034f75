namespace Targets.Cli;

/// <summary>
/// <c>targets cache info|clear</c>. Compiled code is cached per process today (shared by the
/// targets of one kind; see the README); the on-disk cache is not built yet, so there is nothing on
/// disk to describe or clear, and the commands say exactly that rather than invent figures.
/// </summary>
internal static class CacheCommand
{
    const string NoDiskCache = "there is no on-disk cache yet: compiled code is cached per process, shared by the targets of one kind, and compiled again by the next process";

    internal static string Info() => $"cache: {NoDiskCache}.";

    internal static string Clear() => $"cache: nothing to clear ({NoDiskCache}).";
}
