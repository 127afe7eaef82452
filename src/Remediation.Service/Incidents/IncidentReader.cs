using JasperFx.Events;
using Remediation.Core.Nodes;

namespace Remediation.Service.Incidents;

/// <summary>Cuts an incident out of its node's stream and sums it up. Pure, so it is specified on plain events.</summary>
public static class IncidentReader
{
    /// <summary>Incident ids are <c>inc-{nodeId}-{n}</c>; the node id is what lies between.</summary>
    public static string? NodeOf(string incidentId)
    {
        var last = incidentId.LastIndexOf('-');
        return incidentId.StartsWith("inc-", StringComparison.Ordinal) && last > 4 && int.TryParse(incidentId[(last + 1)..], out _)
            ? incidentId[4..last]
            : null;
    }

    public static IncidentReport? Read(string incidentId, IReadOnlyList<IEvent> stream)
    {
        var start = IndexOf(stream, e => Fault(e, incidentId) is not null || Opening(e, incidentId) is not null);
        if (start < 0 || stream.Skip(start).Select(e => Opening(e.Data, incidentId)).FirstOrDefault(o => o is not null) is not { } opened)
            return null;
        var end = IndexOf(stream, e => e is IncidentResolved r && r.IncidentId == incidentId || e is NodeReleased n && n.IncidentId == incidentId
            || e is NodeLeftStorm l && l.ResolvedIncident == incidentId, start);
        var slice = stream.Skip(start).Take(end < 0 ? stream.Count - start : end - start + 1).ToList();
        var data = slice.Select(e => e.Data).ToList();
        var faults = data.Select(e => Fault(e, incidentId)).OfType<(DateTimeOffset ObservedAt, string? Message)>().ToList();
        var detected = faults.Count > 0 ? faults[0].ObservedAt : opened.OpenedAt;
        var closedAt = end < 0 ? (DateTimeOffset?)null : stream[end].Timestamp;
        var resolution = end < 0 ? null : stream[end].Data switch
        {
            IncidentResolved r => r.Resolution, NodeReleased n => $"released: {n.Reason}", NodeLeftStorm l => l.Resolution(), _ => null,
        };
        var handOvers = data.Select(e => e switch
        {
            HandedToHuman h => h,
            NodeJoinedStorm { HandedToHuman: true } j when j.IncidentId == incidentId => new HandedToHuman(j.NodeId, incidentId, j.Reason, j.JoinedAt, "rule:storm"),
            _ => null,
        }).OfType<HandedToHuman>().ToList();
        var handed = handOvers.LastOrDefault();
        var status = end >= 0 ? "closed" : handed is not null ? "needs_human" : "open";
        var decided = data.OfType<RunbookStarted>().Select(r => r.StartedAt).Concat(handOvers.Select(h => h.HandedAt)).DefaultIfEmpty().Min();
        var acted = data.OfType<StepDispatched>().Select(s => s.DispatchedAt).Concat(data.OfType<StepShadowed>().Select(s => s.ShadowedAt)).DefaultIfEmpty().Min();
        return new IncidentReport(
            incidentId, opened.NodeId, status, opened.Kind, opened.Xid, opened.Device, detected, opened.OpenedAt, closedAt,
            resolution ?? handed?.Reason,
            data.OfType<RunbookStarted>().Select(r => r.Runbook).Distinct().ToList(),
            new IncidentDurations(
                Seconds(detected, opened.OpenedAt), decided == default ? null : Seconds(detected, decided),
                acted == default ? null : Seconds(detected, acted), closedAt is { } c ? Seconds(detected, c) : null),
            Steps(data), Approvals(data),
            faults.Select(f => f.Message).OfType<string>().Distinct().ToList(),
            slice.Select(e => new TimelineEntry(e.Version, e.Timestamp, e.EventType.Name, e.Data)).ToList());
    }

    private static List<StepRecord> Steps(List<object> data) =>
        data.OfType<StepDispatched>().Select(s =>
        {
            var (outcome, at, output) = data.FirstOrDefault(e => e is StepSucceeded x && x.CommandId == s.CommandId
                || e is StepFailed f && f.CommandId == s.CommandId || e is StepTimedOut t && t.CommandId == s.CommandId) switch
            {
                StepSucceeded x => ("succeeded", (DateTimeOffset?)x.FinishedAt, x.Output),
                StepFailed f => ("failed", f.FinishedAt, f.Output),
                StepTimedOut t => ("timed_out", t.TimedOutAt, $"no result before {t.Deadline:u}"),
                _ => ("in_flight", null, null),
            };
            return new StepRecord(s.CommandId, s.Runbook, s.Step, s.Action, s.Attempt, s.Verification, s.DispatchedAt, outcome, at, output);
        }).ToList();

    private static List<ApprovalRecord> Approvals(List<object> data) =>
        data.OfType<ApprovalRequested>().Select(r => data.FirstOrDefault(e => e is ApprovalGranted g && g.ApprovalId == r.ApprovalId
                || e is ApprovalRejected j && j.ApprovalId == r.ApprovalId || e is ApprovalExpired x && x.ApprovalId == r.ApprovalId) switch
            {
                ApprovalGranted g => new ApprovalRecord(r.ApprovalId, r.Step, r.Action, r.RequestedAt, "granted", g.Approver, null, g.GrantedAt),
                ApprovalRejected j => new ApprovalRecord(r.ApprovalId, r.Step, r.Action, r.RequestedAt, "rejected", j.Approver, j.Reason, j.RejectedAt),
                ApprovalExpired x => new ApprovalRecord(r.ApprovalId, r.Step, r.Action, r.RequestedAt, "expired", null, null, x.ExpiredAt),
                _ => new ApprovalRecord(r.ApprovalId, r.Step, r.Action, r.RequestedAt, "waiting", null, null, null),
            }).ToList();

    // A storm's join that opened the incident stands for its IncidentOpened (and its HandedToHuman, above), and its let-go
    // that resolved it for its IncidentResolved: the storm writes one event where a fault's decision writes several.
    private static IncidentOpened? Opening(object e, string incidentId) => e switch
    {
        IncidentOpened o when o.IncidentId == incidentId => o,
        NodeJoinedStorm { Opened: true } j when j.IncidentId == incidentId =>
            new IncidentOpened(j.NodeId, incidentId, j.Fingerprint, j.Kind, j.Xid, j.Device, j.Message, !j.HandedToHuman, null, j.JoinedAt, j.CausedBy),
        _ => null,
    };

    // A storm that takes a node records the fault in its NodeJoinedStorm, which names the node's incident as a report does.
    private static (DateTimeOffset ObservedAt, string? Message)? Fault(object e, string incidentId) => e switch
    {
        FaultReported f when f.IncidentId == incidentId => (f.ObservedAt, f.Message),
        NodeJoinedStorm j when j.IncidentId == incidentId => (j.ObservedAt, j.Message),
        _ => null,
    };

    private static int IndexOf(IReadOnlyList<IEvent> stream, Func<object, bool> match, int from = 0)
    {
        for (var i = from; i < stream.Count; i++)
            if (match(stream[i].Data)) return i;
        return -1;
    }

    private static double Seconds(DateTimeOffset from, DateTimeOffset to) => Math.Round(Math.Max(0, (to - from).TotalSeconds), 3);
}
