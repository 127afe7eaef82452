using Remediation.Cli.Rendering;

namespace Remediation.Cli.Commands;

public static class TimelineCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var nodeId = args.Positional.ElementAtOrDefault(1) ?? throw new CliException("usage: remediation timeline NODE");
        var rows = await ApiClient.For(args).TimelineAsync(nodeId, ct);
        await output.WriteAsync(TimelineText.Render(nodeId, rows));
        return 0;
    }
}
