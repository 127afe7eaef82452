namespace Remediation.Cli.Commands;

public static class NodesCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var nodes = await ApiClient.For(args).NodesAsync(ct);
        await output.WriteLineAsync($"{"NODE",-24} {"STATUS",-16} {"INCIDENT",-28} {"RUNBOOK",-20} IN FLIGHT");
        foreach (var n in nodes)
            await output.WriteLineAsync(
                $"{n.Id,-24} {n.Status,-16} {n.Incident?.Id ?? "-",-28} {n.Incident?.Runbook ?? "-",-20} {n.Incident?.Pending?.Action ?? "-"}");
        await output.WriteLineAsync($"{nodes.Count} nodes");
        return 0;
    }
}
