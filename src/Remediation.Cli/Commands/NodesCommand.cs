using System.Globalization;

namespace Remediation.Cli.Commands;

/// <summary>GET /api/nodes as a table, with the API's filters: every matching node, or --limit of them after --after.</summary>
public static class NodesCommand
{
    private static readonly string[] Filters = ["status", "kind", "rack", "switch", "q"];

    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var filters = string.Concat(Filters.Where(f => args.Option(f) is not null).Select(f => $"&{f}={Uri.EscapeDataString(args.Option(f)!)}"));
        int? limit = args.Option("limit") is null ? null : args.Int("limit", 0);
        var (nodes, next, counts) = await ApiClient.For(args).FindNodesAsync(filters, limit, args.Option("after"), ct);
        await output.WriteLineAsync($"{"NODE",-24} {"STATUS",-16} {"INCIDENT",-28} {"RUNBOOK",-20} IN FLIGHT");
        foreach (var n in nodes)
            await output.WriteLineAsync(
                $"{n.Id,-24} {n.Status,-16} {n.Incident?.Id ?? "-",-28} {n.Incident?.Runbook ?? "-",-20} {n.Incident?.Pending?.Action ?? "-"}");
        await output.WriteLineAsync($"{nodes.Count} nodes");
        var states = counts.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value.ToString("N0", CultureInfo.InvariantCulture)}");
        await output.WriteLineAsync($"by state{(args.Option("status") is null ? "" : " (every filter but --status)")}: {string.Join(", ", states)}");
        if (next is not null) await output.WriteLineAsync($"more: add --after {next}");
        return 0;
    }
}
