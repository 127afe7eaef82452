namespace Remediation.Core.Nodes;

// Every transition of a node is one of these facts in the node's stream. CausedBy names the agent,
// rule, runbook step or operator behind it, so a postmortem can say who did what.

/// <param name="Sxid">An NVSwitch fault's SXid, its link and the driver's verdict, kept so a replay routes it as it was.</param>
public sealed record FaultReported(
    string NodeId, string EventId, string Kind, int? Xid, string? Device, string? Message, string Fingerprint,
    string? IncidentId, string Disposition, DateTimeOffset ObservedAt, DateTimeOffset ReportedAt, string CausedBy,
    int? Sxid = null, int? Link = null, bool? Fatal = null);

public sealed record FaultIgnored(string NodeId, string EventId, string Reason, DateTimeOffset IgnoredAt, string CausedBy);

/// <param name="EventIds">The counted faults' eventIds (the newest, up to NodeState.RememberedEventIds), so one that is
/// delivered again is recognised as a duplicate instead of counted twice.</param>
public sealed record FaultRepeated(
    string NodeId, string Fingerprint, int Count, DateTimeOffset FirstAt, DateTimeOffset LastAt, string CausedBy,
    IReadOnlyList<string>? EventIds = null);

public sealed record IncidentOpened(
    string NodeId, string IncidentId, string Fingerprint, string Kind, int? Xid, string? Device, string? Evidence,
    bool Observing, DateTimeOffset? ObserveUntil, DateTimeOffset OpenedAt, string CausedBy);

public sealed record RunbookStarted(
    string NodeId, string IncidentId, string Runbook, string Reason, DateTimeOffset StartedAt, string CausedBy);

public sealed record StepDispatched(
    string NodeId, string IncidentId, string CommandId, string Runbook, string Step, string Action,
    IReadOnlyDictionary<string, string> Args, int StepIndex, int Attempt, bool Verification,
    DateTimeOffset Deadline, DateTimeOffset DispatchedAt, string CausedBy);

public sealed record StepSucceeded(
    string NodeId, string IncidentId, string CommandId, string Step, int? ExitCode, string? Output,
    DateTimeOffset FinishedAt, string CausedBy, string? Action = null);

public sealed record StepFailed(
    string NodeId, string IncidentId, string CommandId, string Step, string Action, int? ExitCode, string? Output,
    DateTimeOffset FinishedAt, string CausedBy);

public sealed record StepTimedOut(
    string NodeId, string IncidentId, string CommandId, string Step, string Action, DateTimeOffset Deadline,
    DateTimeOffset TimedOutAt, string CausedBy);

public sealed record StepResultIgnored(
    string NodeId, string CommandId, string Outcome, string Reason, DateTimeOffset IgnoredAt, string CausedBy);

public sealed record ApprovalRequested(
    string NodeId, string IncidentId, string ApprovalId, string Runbook, string Step, string Action, int StepIndex,
    DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt, string CausedBy);

public sealed record ApprovalGranted(string NodeId, string ApprovalId, string Approver, DateTimeOffset GrantedAt);

public sealed record ApprovalRejected(
    string NodeId, string ApprovalId, string Approver, string Reason, DateTimeOffset RejectedAt);

public sealed record ApprovalExpired(string NodeId, string ApprovalId, DateTimeOffset ExpiredAt, string CausedBy);

public sealed record VerificationPassed(
    string NodeId, string IncidentId, string CommandId, DateTimeOffset PassedAt, string CausedBy);

public sealed record VerificationFailed(
    string NodeId, string IncidentId, string CommandId, string? Output, DateTimeOffset FailedAt, string CausedBy);

public sealed record RunbookEscalated(
    string NodeId, string IncidentId, string FromRunbook, string ToRunbook, string Reason,
    DateTimeOffset EscalatedAt, string CausedBy);

public sealed record NodeCordoned(string NodeId, string IncidentId, DateTimeOffset CordonedAt, string CausedBy);

/// <summary>
/// The scheduler took the node out and its work has left, so a disruptive step may run. Unlike <see cref="NodeCordoned"/>
/// (on the way to an RMA) the node stays Remediating; its incident gives the scheduler back what it took once verified.
/// <paramref name="Scheduler"/> is what the scheduler said, "no scheduler configured" included.
/// </summary>
public sealed record NodeQuarantined(string NodeId, string IncidentId, string? Scheduler, DateTimeOffset QuarantinedAt, string CausedBy);

/// <summary>
/// What the agent collected before the incident's first destructive step: the GPUs it named, and the bug report it
/// kept (path and size, on the node), or why not. A collection that failed is recorded too; the repair goes on.
/// </summary>
public sealed record EvidenceCollected(
    string NodeId, string IncidentId, IReadOnlyList<GpuIdentity> Gpus, string? BugReport, string? Problem, DateTimeOffset CollectedAt,
    string CausedBy);

public sealed record RmaRequested(
    string NodeId, string IncidentId, string? Device, DateTimeOffset RequestedAt, string CausedBy, string? Ticket = null);

public sealed record RmaClosed(
    string NodeId, string IncidentId, string? Ticket, string Resolution, DateTimeOffset ClosedAt, string CausedBy);

public sealed record NodeReturnedToService(string NodeId, string IncidentId, DateTimeOffset ReturnedAt, string CausedBy);

public sealed record IncidentResolved(
    string NodeId, string IncidentId, string Resolution, DateTimeOffset ResolvedAt, string CausedBy);

public sealed record HandedToHuman(
    string NodeId, string? IncidentId, string Reason, DateTimeOffset HandedAt, string CausedBy);
