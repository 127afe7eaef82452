namespace Remediation.Core.Nodes.Deciding;

public sealed partial class NodeDecider
{
    /// <summary>The next moment at which time alone changes this node, or null when nothing is waiting.</summary>
    public static DateTimeOffset? NextDeadline(NodeState state) => NextDeadline(state, state.Incident?.Pending?.Deadline);

    /// <summary>
    /// The same, with the step in flight timing out at <paramref name="stepDue"/>: counted from when its command was
    /// sent, or null while it waits to be sent (a step that never reached its agent has not had its time).
    /// </summary>
    public static DateTimeOffset? NextDeadline(NodeState state, DateTimeOffset? stepDue)
    {
        if (state.Incident is not { } i) return null;
        DateTimeOffset? next = null;
        if (i.Pending is not null) next = stepDue;
        if (i.Deferred is { RetryAt: { } retry }) next = Min(next, retry);
        if (i.Approval is { Granted: false } a && state.Status == NodeStatus.AwaitingApproval) next = Min(next, a.ExpiresAt);
        if (state.Status == NodeStatus.Observing && i.ObserveUntil is { } until) next = Min(next, until);
        return next;
    }

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    private void OnTick(Decision d, DateTimeOffset? stepDue, DateTimeOffset now)
    {
        var state = d.State;
        if (state.Incident is not { } incident) return;
        if (incident.Pending is { } pending && now >= (stepDue ?? pending.Deadline))
        {
            d.Emit(new StepTimedOut(state.Id, incident.Id, pending.CommandId, pending.Step, pending.Action, pending.Deadline, now, "rule:step-deadline"));
            AfterFailure(d, runbooks[incident.Runbook!], pending, "no result before the deadline", now);
        }
        else if (state.Status == NodeStatus.AwaitingApproval && incident.Approval is { Granted: false } approval && now >= approval.ExpiresAt)
        {
            d.Emit(new ApprovalExpired(state.Id, approval.ApprovalId, now, "rule:approval-timeout"));
            d.Emit(new HandedToHuman(state.Id, incident.Id, $"approval {approval.ApprovalId} expired; nothing was executed", now, "rule:approval-timeout"));
        }
        else if (incident.Deferred is { } deferred && d.Pause is null && !(deferred.RetryAt > now)) ResumeDeferred(d, incident, deferred, now);
        else CloseExpiredObservation(d, now);
    }

    private static void OnHold(Decision d, OperatorHold request, DateTimeOffset now)
    {
        var state = d.State;
        var by = $"operator:{request.Operator}";
        if (request.Hold && state.Status == NodeStatus.NeedsHuman)
            d.Refuse($"node {state.Id} is already NeedsHuman: automation is off it");
        else if (request.Hold)
            d.Emit(new NodeHeld(state.Id, state.Incident?.Id, request.Reason, now, by));
        else if (state.Status != NodeStatus.NeedsHuman)
            d.Refuse($"node {state.Id} is {state.Status}; only a NeedsHuman node can be released to automation");
        else
            d.Emit(new NodeReleased(state.Id, state.Incident?.Id, request.Reason, now, by));
    }

    /// <summary>
    /// An observation whose window has passed is over, whether a tick or a new fault notices first: a flap after
    /// the window starts a new count instead of adding to the old one.
    /// </summary>
    private static void CloseExpiredObservation(Decision d, DateTimeOffset now)
    {
        if (d.State is { Status: NodeStatus.Observing, Incident: { ObserveUntil: { } until } incident } && now >= until)
            d.Emit(new IncidentResolved(d.State.Id, incident.Id,
                $"dampened: {incident.FaultCount} fault(s) stayed below the threshold", now, "rule:dampening"));
    }

    private void OnOperator(Decision d, OperatorDecision decision, DateTimeOffset now)
    {
        var state = d.State;
        if (state.Status != NodeStatus.AwaitingApproval || state.Incident?.Approval is not { Granted: false } approval
            || approval.ApprovalId != decision.ApprovalId)
        {
            d.Refuse($"approval {decision.ApprovalId} is not waiting on node {state.Id}");
            return;
        }
        if (!decision.Approve)
        {
            var reason = decision.Reason ?? "rejected";
            d.Emit(new ApprovalRejected(state.Id, approval.ApprovalId, decision.Operator, reason, now));
            d.Emit(new HandedToHuman(state.Id, state.Incident.Id, $"{decision.Operator} rejected {approval.ApprovalId}: {reason}", now, $"operator:{decision.Operator}"));
            return;
        }
        d.Emit(new ApprovalGranted(state.Id, approval.ApprovalId, decision.Operator, now));
        StartStep(d, runbooks[state.Incident.Runbook!], approval.StepIndex, attempt: 1, now);
    }
}
