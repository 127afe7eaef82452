using Remediation.Contracts;
using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>
/// Decide(state, input) → events. Pure: no I/O, no clock but the one passed in, so the same stream and inputs
/// always give the same decisions and every rule has a Given/When/Then spec.
/// </summary>
public sealed partial class NodeDecider(RunbookSet runbooks, DeciderOptions options)
{
    public Decision Decide(
        NodeState state, NodeInput input, DateTimeOffset now, AutomationPause? pause = null, FleetBudget? budget = null, Storm? storm = null)
    {
        var decision = new Decision(state, pause, budget);
        switch (input)
        {
            case FaultInput f when IsStormFault(state, f.Fault, storm): OnStormFault(decision, f.Fault, storm, now); break;
            case FaultInput f: OnFault(decision, f.Fault, now); break;
            case StepResultInput r: OnStepResult(decision, r.Result, now); break;
            case ClockTick t: OnTick(decision, t.StepDue, now); break;
            case OperatorDecision o: OnOperator(decision, o, now); break;
            case StormOver o: OnStormOver(decision, o, now); break;
            case ApproverRefused r: decision.Emit(new ApprovalRefused(state.Id, r.ApprovalId, r.Who, r.Reason, now)); break;
            case OperatorHold h: OnHold(decision, h, now); break;
            case RmaTicketClosed c: OnRmaClosed(decision, c, now); break;
            case AlertResolvedInput a:
                decision.Emit(new AlertResolved(state.Id, a.AlertName, a.Fingerprint, a.StartsAt, a.EndsAt, now, "alertmanager"));
                break;
        }
        return decision;
    }

    public static string Fingerprint(FaultDetected f) => $"{f.Kind}:{f.Xid?.ToString() ?? "-"}:{f.Device ?? "-"}";

    private void OnFault(Decision d, FaultDetected fault, DateTimeOffset now)
    {
        var by = $"agent:{fault.Source ?? "unknown"}@{fault.NodeId}";
        if (d.State.RecentEventIds.Contains(fault.EventId))
        {
            d.Emit(new FaultIgnored(fault.NodeId, fault.EventId, "duplicate eventId: already recorded and acted on", now, by));
            return;
        }
        CloseExpiredObservation(d, now);
        var fingerprint = Fingerprint(fault);
        var route = WithDriverVerdict(fault, runbooks.Route(fault, FailedActions(d.State, now)));
        var escalateTo = MoreSevereThanCurrent(d.State, route);
        if (escalateTo is null && IsRepeatOfRecorded(d.State, fingerprint, route, now))
        {
            d.Coalesce(fingerprint);
            return;
        }
        switch (d.State.Status)
        {
            case NodeStatus.Healthy or NodeStatus.Observing:
                OnFaultWhileIdle(d, fault, fingerprint, route, now, by);
                break;
            case var _ when escalateTo is not null:
                var current = d.State.Incident!.Runbook!;
                Report(d, fault, fingerprint, d.State.Incident.Id, $"more severe than {current}: escalating", now, by);
                Escalate(d, current, escalateTo.Runbook, $"{escalateTo.Reason} arrived during {current}", now);
                break;
            default:
                Report(d, fault, fingerprint, d.State.Incident?.Id, $"node is {d.State.Status}: recorded, no new action", now, by);
                break;
        }
    }

    private Run? MoreSevereThanCurrent(NodeState state, FaultRoute route) =>
        state.Status is NodeStatus.Remediating or NodeStatus.AwaitingApproval or NodeStatus.Verifying
        && route is Run run && state.Incident?.Runbook is { } current
        && runbooks.Height(run.Runbook.Name) < runbooks.Height(current)
            ? run
            : null;

    private void OnFaultWhileIdle(Decision d, FaultDetected fault, string fingerprint, FaultRoute route, DateTimeOffset now, string by)
    {
        if (d.State.Incident is { } watched && (watched.Fingerprint != fingerprint || route is not Observe))
        {
            if (route is RecordOnly) { Report(d, fault, fingerprint, null, ((RecordOnly)route).Reason, now, by); return; }
            d.Emit(new IncidentResolved(d.State.Id, watched.Id, $"superseded by {fingerprint}", now, "rule:supersede"));
        }
        switch (route)
        {
            case RecordOnly record:
                Report(d, fault, fingerprint, null, record.Reason, now, by);
                break;
            case HandOver handOver:
                var handed = Open(d, fault, fingerprint, handOver.Reason, observeUntil: null, now, by);
                d.Emit(new HandedToHuman(d.State.Id, handed, handOver.Reason, now, "rule:no-automation"));
                break;
            case Observe observe when d.State.Incident is { } open:
                var count = open.FaultCount + 1;
                var threshold = observe.Threshold;
                if (count < threshold.Count)
                {
                    Report(d, fault, fingerprint, open.Id, $"observing: {count} of {threshold.Count} within {threshold.Window}", now, by);
                    break;
                }
                Report(d, fault, fingerprint, open.Id, $"threshold reached: {count} of {threshold.Count} within {threshold.Window}", now, by);
                StartRunbook(d, observe.Runbook, $"{fault.Kind} reached {threshold.Count} within {threshold.Window}", now);
                break;
            case Observe observe when observe.Threshold.Count > 1:
                Open(d, fault, fingerprint, $"observing: 1 of {observe.Threshold.Count} within {observe.Threshold.Window}",
                    now + observe.Threshold.Window, now, by);
                break;
            case Observe observe:
                Open(d, fault, fingerprint, $"opened incident: running {observe.Runbook.Name}", null, now, by);
                StartRunbook(d, Climb(d, fingerprint, observe.Runbook, now, out var why), why ?? fault.Kind, now);
                break;
            case Run run:
                Open(d, fault, fingerprint, $"opened incident: {run.Reason}", null, now, by);
                StartRunbook(d, Climb(d, fingerprint, run.Runbook, now, out var reason), reason ?? run.Reason, now);
                break;
        }
    }

    private string Open(Decision d, FaultDetected fault, string fingerprint, string disposition, DateTimeOffset? observeUntil, DateTimeOffset now, string by)
    {
        var incidentId = $"inc-{d.State.Id}-{d.State.IncidentCount + 1}";
        Report(d, fault, fingerprint, incidentId, disposition, now, by);
        d.Emit(new IncidentOpened(d.State.Id, incidentId, fingerprint, fault.Kind, fault.Xid, fault.Device, fault.Message,
            observeUntil is not null, observeUntil, now, by));
        return incidentId;
    }

    private static void Report(Decision d, FaultDetected f, string fingerprint, string? incidentId, string disposition, DateTimeOffset now, string by) =>
        d.Emit(new FaultReported(f.NodeId, f.EventId, f.Kind, f.Xid, f.Device, f.Message, fingerprint, incidentId,
            disposition, f.ObservedAt, now, by, f.Sxid, f.Link, f.Fatal));

    // A repeat only coalesces when it cannot change the decision: the node is already handling that very fault,
    // or the fault needs nothing, or it is part of the burst already counted toward a threshold, and the last full
    // record of it is recent.
    private bool IsRepeatOfRecorded(NodeState state, string fingerprint, FaultRoute route, DateTimeOffset now)
    {
        if (state.LastFault is not { } last || last.Fingerprint != fingerprint || now - last.RecordedAt >= options.CoalesceWindow)
            return false;
        return state.Status switch
        {
            NodeStatus.Observing => route is Observe { Threshold.Burst: { } burst } && now - last.RecordedAt < burst,
            NodeStatus.Healthy => route is RecordOnly,
            _ => true,
        };
    }

    private IReadOnlySet<string> FailedActions(NodeState state, DateTimeOffset now)
    {
        var failed = new HashSet<string>(state.Incident?.FailedActions ?? []);
        foreach (var past in state.History.Where(p => now - p.ClosedAt <= options.RepeatWindow))
            failed.UnionWith(past.FailedActions);
        return failed;
    }
}
