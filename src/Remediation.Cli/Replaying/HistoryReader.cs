using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;
using Remediation.Contracts;
using Remediation.Core.Nodes;
using Remediation.Store;

namespace Remediation.Cli.Replaying;

/// <summary>
/// Reads the recorded fault history out of the event store, read-only: schema creation is switched off, so pointing
/// it at the wrong schema fails instead of creating one.
/// </summary>
public static class HistoryReader
{
    private static readonly Type[] Wanted =
        [typeof(FaultReported), typeof(NodeJoinedStorm), typeof(FaultRepeated), typeof(NodeLeftStorm), typeof(StepDispatched), typeof(StepSucceeded),
            typeof(StepFailed), typeof(StepTimedOut)];

    public static async Task<IReadOnlyList<NodeHistory>> ReadAsync(string postgres, string schema, DateTimeOffset since, string? node, CancellationToken ct)
    {
        using var store = DocumentStore.For(o =>
        {
            o.ConfigureNodes(postgres, schema);
            o.AutoCreateSchemaObjects = AutoCreate.None;
        });
        await using var session = store.QuerySession();
        try
        {
            var query = session.Events.QueryAllRawEvents().Where(e => e.Timestamp > since && e.EventTypesAre(Wanted));
            if (node is not null) query = query.Where(e => e.StreamKey == node);
            var events = await query.OrderBy(e => e.Sequence).ToListAsync(ct);
            var histories = new List<NodeHistory>();
            foreach (var stream in events.GroupBy(e => e.StreamKey!).Where(s => s.Any(e => e.Data is FaultReported or NodeJoinedStorm)).OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var before = await session.Events.FetchStreamAsync(stream.Key, timestamp: since, token: ct);
                var start = NodeEvolution.Fold(stream.Key, before.Select(e => e.Data));
                histories.Add(Build(stream.Key, start, stream.Select(e => e.Data).ToList()));
            }
            return histories;
        }
        catch (Exception e) when ((e as PostgresException ?? e.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.UndefinedTable } missing)
        {
            throw new CliException($"schema '{schema}' has no event store ({missing.MessageText})");
        }
    }

    // Repeats that were counted (FaultRepeated, or a storm's: NodeLeftStorm's total) are not replayed: they carry a
    // count and a time span, not the faults, and they were only counted because they could not change the recorded
    // decision. They are reported instead. The fault that brought a node into a storm is replayed like any other.
    private static NodeHistory Build(string nodeId, NodeState start, List<object> events)
    {
        var faults = events.Select(e => e switch
        {
            FaultReported f => new RecordedFault(ToFault(f.EventId, f.NodeId, f.Kind, f.Xid, f.Device, f.Message, f.ObservedAt, f.CausedBy, f.Sxid, f.Link, f.Fatal), f.ReportedAt),
            NodeJoinedStorm j => new RecordedFault(ToFault(j.EventId, j.NodeId, j.Kind, j.Xid, j.Device, j.Message, j.ObservedAt, j.CausedBy, j.Sxid, j.Link, j.Fatal), j.JoinedAt),
            _ => null,
        }).OfType<RecordedFault>().ToList();
        var dispatched = events.OfType<StepDispatched>().ToDictionary(d => d.CommandId);
        var outcomes = new Dictionary<string, List<RecordedOutcome>>();
        foreach (var e in events)
        {
            var (commandId, action, outcome) = e switch
            {
                StepSucceeded s => (s.CommandId, s.Action, new RecordedOutcome(StepOutcomes.Succeeded, Took(s.CommandId, s.FinishedAt), s.ExitCode, s.Output)),
                StepFailed f => (f.CommandId, f.Action, new RecordedOutcome(StepOutcomes.Failed, Took(f.CommandId, f.FinishedAt), f.ExitCode, f.Output)),
                StepTimedOut t => (t.CommandId, t.Action, new RecordedOutcome(StepOutcomes.TimedOut, TimeSpan.Zero, null, null)),
                _ => (null, null, null),
            };
            if (outcome is null) continue;
            action ??= dispatched.GetValueOrDefault(commandId!)?.Action ?? start.Incident?.Pending?.Action;
            if (action is null) continue;
            if (!outcomes.TryGetValue(action, out var list)) outcomes[action] = list = [];
            list.Add(outcome);
        }
        var repeats = events.OfType<FaultRepeated>().Sum(r => r.Count) + (int)events.OfType<NodeLeftStorm>().Sum(l => l.Absorbed);
        return new NodeHistory(nodeId, start, faults,
            new RecordedOutcomes(outcomes.ToDictionary(o => o.Key, o => (IReadOnlyList<RecordedOutcome>)o.Value)), repeats);

        TimeSpan Took(string commandId, DateTimeOffset finishedAt) =>
            dispatched.TryGetValue(commandId, out var d) && finishedAt > d.DispatchedAt ? finishedAt - d.DispatchedAt : RecordedOutcomes.AssumedDuration;
    }

    // The source is kept in the causedBy ("agent:kmsg@node"); routing reads neither it nor the cluster, which is not recorded.
    private static FaultDetected ToFault(
        string eventId, string nodeId, string kind, int? xid, string? device, string? message, DateTimeOffset observedAt, string causedBy,
        int? sxid, int? link, bool? fatal)
    {
        var source = causedBy.StartsWith("agent:", StringComparison.Ordinal) && causedBy.LastIndexOf('@') is > 6 and var at
            ? causedBy[6..at]
            : null;
        return new FaultDetected(eventId, nodeId, kind, xid, device, message, observedAt, source, null, sxid, link, fatal);
    }
}
