using Remediation.Core.Runbooks;

namespace Remediation.Cli;

/// <summary>
/// What the CLI and the tools built on it do around a command: Ctrl-C cancels it, --help prints the usage, and a
/// user's mistake ends it with one line and exit code 2 rather than a stack trace.
/// </summary>
public static class CliHost
{
    public static async Task<int> RunAsync(string name, string usage, string[] args, bool commandRequired, Func<CliArgs, CancellationToken, Task<int>> run)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        if ((commandRequired && (args.Length == 0 || args[0] is "help")) || args is ["-h", ..] || args.Contains("--help")) return Help(usage, 0);
        try
        {
            return await run(new CliArgs(args), cts.Token);
        }
        catch (Exception e) when (e is CliException or RunbookFileException)
        {
            await Console.Error.WriteLineAsync($"{name}: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"{name}: stopped");
            return 130;
        }
    }

    public static int Help(string usage, int code)
    {
        (code == 0 ? Console.Out : Console.Error).WriteLine(usage);
        return code;
    }
}
