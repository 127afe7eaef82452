namespace Remediation.Core.Nodes;

// Events where people or policy hold automation back: a deferred or shadowed step, a refused approver, a node an
// operator took over or handed back.

/// <summary>
/// A step held back. <paramref name="RetryAt"/> is set when the agent found the node in use: the step is tried again
/// then, and <paramref name="WaitingSince"/> is when the node was first found in use in this run of the step.
/// </summary>
public sealed record ActionDeferred(
    string NodeId, string IncidentId, string Runbook, string Step, string Action, int StepIndex, int Attempt,
    bool Verification, string Reason, DateTimeOffset DeferredAt, string CausedBy,
    DateTimeOffset? RetryAt = null, DateTimeOffset? WaitingSince = null);

public sealed record StepShadowed(
    string NodeId, string IncidentId, string Runbook, string Step, string Action, IReadOnlyDictionary<string, string> Args,
    DateTimeOffset ShadowedAt, string CausedBy);

public sealed record ApprovalRefused(string NodeId, string ApprovalId, string Who, string Reason, DateTimeOffset RefusedAt);

public sealed record NodeHeld(string NodeId, string? IncidentId, string Reason, DateTimeOffset HeldAt, string CausedBy);

/// <summary>Alertmanager said an alert about this node is over; recorded for the timeline, it changes no state.</summary>
public sealed record AlertResolved(
    string NodeId, string AlertName, string? Fingerprint, DateTimeOffset StartsAt, DateTimeOffset EndsAt, DateTimeOffset RecordedAt, string CausedBy);

public sealed record NodeReleased(string NodeId, string? IncidentId, string Reason, DateTimeOffset ReleasedAt, string CausedBy);
