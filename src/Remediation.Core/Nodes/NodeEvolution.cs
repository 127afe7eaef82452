using System.Collections.Immutable;

namespace Remediation.Core.Nodes;

/// <summary>Folds one event into a node's state. Pure, so replaying a stream always gives the same state.</summary>
public static class NodeEvolution
{
    public static NodeState Evolve(NodeState state, object @event)
    {
        var applied = Apply(state, @event);
        // One copy for the version and the status together: a rebuild folds every event of the store through here.
        return applied with
        {
            Version = state.Version + 1,
            Status = Trigger(@event) is { } trigger ? NodeStateMachine.Next(state.Status, trigger) : applied.Status,
        };
    }

    public static NodeState Fold(string nodeId, IEnumerable<object> events) =>
        events.Aggregate(NodeState.New(nodeId), Evolve);

    private static NodeTrigger? Trigger(object @event) => @event switch
    {
        IncidentOpened { Observing: true } => NodeTrigger.Observe,
        RunbookStarted => NodeTrigger.StartRunbook,
        ApprovalRequested => NodeTrigger.RequestApproval,
        ApprovalGranted => NodeTrigger.GrantApproval,
        StepDispatched { Verification: true } => NodeTrigger.Verify,
        VerificationFailed => NodeTrigger.FailVerification,
        NodeCordoned => NodeTrigger.Cordon,
        RmaRequested => NodeTrigger.RequestRma,
        IncidentResolved => NodeTrigger.Resolve,
        HandedToHuman => NodeTrigger.HandOver,
        NodeJoinedStorm { HandedToHuman: true } => NodeTrigger.HandOver,
        NodeJoinedStorm { Opened: true } => NodeTrigger.Observe,
        NodeLeftStorm { ResolvedIncident: not null } => NodeTrigger.Resolve,
        NodeHeld => NodeTrigger.Hold,
        NodeReleased => NodeTrigger.Release,
        RmaClosed => NodeTrigger.CloseRma,
        _ => null,
    };

    private static NodeState Apply(NodeState state, object @event) => @event switch
    {
        FaultReported e => state with
        {
            RecentEventIds = state.RecentEventIds.Remember(e.EventId),
            LastFault = new LastFault(e.Fingerprint, e.ReportedAt),
            Incident = state.Incident is { } i && e.IncidentId == i.Id ? i with { FaultCount = i.FaultCount + 1 } : state.Incident,
            UpdatedAt = e.ReportedAt,
        },
        FaultIgnored e => state with { UpdatedAt = e.IgnoredAt },
        NodeJoinedStorm e => Joined(state, e),
        NodeLeftStorm e => (e.ResolvedIncident is null ? state with { UpdatedAt = e.LeftAt } : Close(state, e.LeftAt)) with
        {
            InStorm = state.InStorm?.StormId == e.StormId ? null : state.InStorm,
        },
        FaultRepeated e => state with
        {
            RecentEventIds = state.RecentEventIds.Remember(e.EventIds ?? []),
            UpdatedAt = e.LastAt,
        },
        IncidentOpened e => state with
        {
            IncidentCount = state.IncidentCount + 1,
            Incident = new Incident(e.IncidentId, e.Fingerprint, e.Kind, e.Xid, e.Device, e.Evidence, e.OpenedAt,
                FaultCount: 1, e.ObserveUntil, Runbook: null, [], [], Pending: null, Approval: null),
            UpdatedAt = e.OpenedAt,
        },
        RunbookStarted e => WithIncident(state, e.StartedAt, i => i with
        {
            Runbook = e.Runbook, RunbooksTried = i.RunbooksTried.Add(e.Runbook), ObserveUntil = null, Pending = null, Approval = null, InUse = null,
        }),
        StepDispatched e => WithIncident(state, e.DispatchedAt, i => i with
        {
            // An approval covers the rest of its runbook run, so cordon-then-RMA asks once.
            Pending = new PendingStep(e.CommandId, e.Step, e.Action, e.StepIndex, e.Attempt, e.Verification, e.Deadline, e.Args),
            Deferred = null,
        }),
        ActionDeferred e => WithIncident(state, e.DeferredAt, i => i with
        {
            Deferred = new DeferredStep(e.StepIndex, e.Attempt, e.Verification, e.Reason, ByBudget: e.CausedBy == "policy:fleet-budget", e.RetryAt),
            Pending = e.RetryAt is null ? i.Pending : null,
            InUse = e.RetryAt is null ? i.InUse : new InUseWait(e.WaitingSince ?? e.DeferredAt, (i.InUse?.Tries ?? 0) + 1),
        }),
        StepShadowed e => state with { UpdatedAt = e.ShadowedAt },
        ApprovalRefused e => state with { UpdatedAt = e.RefusedAt },
        AlertResolved e => state with { UpdatedAt = e.RecordedAt },
        NodeHeld e => state with
        {
            Incident = state.Incident is { } held ? held with { Pending = null, Approval = null, Deferred = null } : null,
            UpdatedAt = e.HeldAt,
        },
        NodeReleased e => Close(state, e.ReleasedAt),
        StepSucceeded e => WithIncident(state, e.FinishedAt, i => i with { Pending = null, InUse = null }),
        StepFailed e => WithIncident(state, e.FinishedAt, i => i with { Pending = null, InUse = null, FailedActions = i.FailedActions.Add(e.Action) }),
        StepTimedOut e => WithIncident(state, e.TimedOutAt, i => i with { Pending = null, InUse = null, FailedActions = i.FailedActions.Add(e.Action) }),
        StepResultIgnored e => state with { UpdatedAt = e.IgnoredAt },
        ApprovalRequested e => WithIncident(state, e.RequestedAt, i => i with
        {
            Approval = new PendingApproval(e.ApprovalId, e.StepIndex, e.ExpiresAt, Granted: false, e.RequestedAt),
        }),
        ApprovalGranted e => WithIncident(state, e.GrantedAt, i => i with { Approval = i.Approval! with { Granted = true } }),
        ApprovalRejected e => WithIncident(state, e.RejectedAt, i => i with { Approval = null }),
        ApprovalExpired e => WithIncident(state, e.ExpiredAt, i => i with { Approval = null }),
        VerificationPassed e => state with { UpdatedAt = e.PassedAt },
        VerificationFailed e => WithIncident(state, e.FailedAt, i => i with { FailedActions = i.FailedActions.Add("verify") }),
        RunbookEscalated e => state with { UpdatedAt = e.EscalatedAt },
        NodeCordoned e => WithIncident(state, e.CordonedAt, i => i with { Cordoned = true }),
        NodeQuarantined e => WithIncident(state, e.QuarantinedAt, i => i with { Cordoned = true }),
        EvidenceCollected e => WithIncident(state, e.CollectedAt, i => i with { EvidenceCollected = true }),
        RmaRequested e => WithIncident(state, e.RequestedAt, i => i with { Ticket = e.Ticket, RmaRequested = true }),
        RmaClosed e => state with { UpdatedAt = e.ClosedAt },
        NodeReturnedToService e => WithIncident(state, e.ReturnedAt, i => i with { Cordoned = false }),
        IncidentResolved e => Close(state, e.ResolvedAt),
        // The incident stays open for the human who takes it over; automation only lets go of it.
        HandedToHuman e => state with
        {
            Incident = state.Incident is { } i ? i with { Pending = null, Approval = null, Deferred = null, HandedOver = true } : null,
            UpdatedAt = e.HandedAt,
        },
        _ => throw new InvalidOperationException($"Unknown node event {@event.GetType().Name}"),
    };

    /// <summary>A storm's join is a fault report, and an incident opened (and maybe handed over) when it says so.</summary>
    private static NodeState Joined(NodeState state, NodeJoinedStorm e)
    {
        var incident = e.Opened
            ? new Incident(e.IncidentId!, e.Fingerprint, e.Kind, e.Xid, e.Device, e.Message, e.JoinedAt, FaultCount: 1, ObserveUntil: null,
                Runbook: null, [], [], Pending: null, Approval: null, HandedOver: e.HandedToHuman)
            : state.Incident is { } i && e.IncidentId == i.Id ? i with { FaultCount = i.FaultCount + 1 } : state.Incident;
        return state with
        {
            IncidentCount = state.IncidentCount + (e.Opened ? 1 : 0),
            Incident = incident,
            RecentEventIds = state.RecentEventIds.Remember(e.EventId),
            LastFault = new LastFault(e.Fingerprint, e.JoinedAt),
            InStorm = new StormMembership(e.StormId, e.Fingerprint, e.Fabric, e.JoinedAt, e.Opened ? e.IncidentId : null),
            UpdatedAt = e.JoinedAt,
        };
    }

    private static NodeState WithIncident(NodeState state, DateTimeOffset at, Func<Incident, Incident> change) =>
        state.Incident is null
            ? throw new InvalidOperationException($"Node {state.Id} has no open incident for this event.")
            : state with { Incident = change(state.Incident), UpdatedAt = at };

    private static NodeState Close(NodeState state, DateTimeOffset at)
    {
        if (state.Incident is not { } incident) return state with { UpdatedAt = at };
        var past = new PastIncident(incident.Id, incident.Fingerprint, incident.Runbook, incident.FailedActions, at);
        var history = state.History.Add(past);
        if (history.Count > NodeState.RememberedIncidents) history = history.RemoveAt(0);
        return state with { Incident = null, History = history, UpdatedAt = at };
    }
}
