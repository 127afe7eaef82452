using Remediation.Cli;

namespace Remediation.Simulator;

/// <summary>Polls the service and prints each node's state change as it happens.</summary>
public sealed class FleetWatcher(ApiClient api, TextWriter output)
{
    private static readonly HashSet<string> Busy = ["Remediating", "AwaitingApproval", "Verifying", "Cordoned"];
    private readonly Dictionary<string, string> _seen = [];
    private readonly Dictionary<string, string> _status = [];

    public IReadOnlyDictionary<string, string> Statuses => _seen;

    /// <summary>Returns once every expected node has been seen and none is mid-runbook, or when the time is up.</summary>
    public async Task<bool> WatchUntilSettledAsync(IReadOnlyCollection<string> expected, TimeSpan minimum, TimeSpan limit, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow - started < limit)
        {
            await PollAsync(ct);
            var settled = expected.All(_seen.ContainsKey) && !_status.Values.Any(Busy.Contains);
            if (settled && DateTimeOffset.UtcNow - started >= minimum) return true;
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
        return false;
    }

    private async Task PollAsync(CancellationToken ct)
    {
        foreach (var node in await api.NodesAsync(ct))
        {
            _status[node.Id] = node.Status;
            var now = $"{node.Status}{(node.Incident?.Runbook is { } r ? $" ({r}{(node.Incident.Pending is { } p ? $": {p.Action}" : "")})" : "")}";
            if (_seen.TryGetValue(node.Id, out var before) && before == now) continue;
            await output.WriteLineAsync($"{DateTimeOffset.UtcNow:HH:mm:ss}  {node.Id,-14} {before ?? "-",-40} -> {now}");
            _seen[node.Id] = now;
        }
    }
}
