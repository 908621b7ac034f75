namespace Targets.Cli;

/// <summary>
/// The <c>targets</c> command: parses the verb and dispatches. Exit codes: 0 success, 1 the work
/// failed, 2 the command line was wrong (with usage on stderr).
/// </summary>
internal static class CommandLine
{
    internal const string Usage = """
        usage: targets <command>

        commands:
          bench     run the benchmark workloads on every available target
          devices   list the targets this machine offers and why any is missing
          help      show this text
        """;

    internal static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string verb = args.Length == 0 ? "help" : args[0];
        if (args.Length > 1)
        {
            error.WriteLine($"targets {verb}: unexpected argument '{args[1]}'");
            error.WriteLine(Usage);
            return 2;
        }
        try
        {
            switch (verb)
            {
                case "bench":
                    return BenchCommand.Run(output);
                case "devices":
                    DevicesCommand.Run(output);
                    return 0;
                case "help" or "--help" or "-h":
                    output.WriteLine(Usage);
                    return 0;
                default:
                    error.WriteLine($"targets: unknown command '{verb}'");
                    error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (DllNotFoundException e)
        {
            error.WriteLine($"targets {verb}: {e.Message}");
            return 1;
        }
    }
}
