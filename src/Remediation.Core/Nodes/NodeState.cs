using System.Collections.Immutable;

namespace Remediation.Core.Nodes;

/// <summary>
/// Everything the decider knows about a node, folded from the node's stream by <see cref="NodeEvolution"/>.
/// Stored as the node-status read model in the same transaction as the events it was folded from.
/// </summary>
public sealed record NodeState(
    string Id,
    NodeStatus Status,
    long Version,
    int IncidentCount,
    Incident? Incident,
    LastFault? LastFault,
    RecentEvents RecentEventIds,
    ImmutableList<PastIncident> History,
    DateTimeOffset? UpdatedAt,
    StormMembership? InStorm = null)
{
    /// <summary>How many eventIds a node remembers for dedupe; agents redeliver recent faults, never old ones.</summary>
    public const int RememberedEventIds = 256;

    public const int RememberedIncidents = 16;

    public static NodeState New(string nodeId) =>
        new(nodeId, NodeStatus.Healthy, 0, 0, null, null, RecentEvents.None, [], null);
}

public sealed record Incident(
    string Id,
    string Fingerprint,
    string Kind,
    int? Xid,
    string? Device,
    string? Evidence,
    DateTimeOffset OpenedAt,
    int FaultCount,
    DateTimeOffset? ObserveUntil,
    string? Runbook,
    ImmutableList<string> RunbooksTried,
    ImmutableList<string> FailedActions,
    PendingStep? Pending,
    PendingApproval? Approval,
    DeferredStep? Deferred = null,
    bool Cordoned = false,
    string? Ticket = null,
    bool RmaRequested = false,
    bool HandedOver = false,
    InUseWait? InUse = null,
    bool EvidenceCollected = false);

public sealed record PendingStep(
    string CommandId, string Step, string Action, int StepIndex, int Attempt, bool Verification, DateTimeOffset Deadline,
    IReadOnlyDictionary<string, string> Args);

/// <summary>
/// A step that policy (a pause, the budget) kept from running, dispatched once the policy allows; or one the agent found
/// the node in use for, dispatched again at <paramref name="RetryAt"/>.
/// </summary>
public sealed record DeferredStep(int StepIndex, int Attempt, bool Verification, string Reason, bool ByBudget = false, DateTimeOffset? RetryAt = null);

/// <summary>The step in flight keeps finding the node in use: since when, and how many times it was tried.</summary>
public sealed record InUseWait(DateTimeOffset Since, int Tries);

public sealed record PendingApproval(string ApprovalId, int StepIndex, DateTimeOffset ExpiresAt, bool Granted, DateTimeOffset? RequestedAt = null);

/// <summary>
/// The storm holding the node since <paramref name="JoinedAt"/>: its repeats of <paramref name="Fingerprint"/> count there.
/// <paramref name="OpenedIncident"/>: the incident the join opened (null when the node already had one), which the
/// let-go resolves when the storm only watched the node.
/// </summary>
public sealed record StormMembership(string StormId, string Fingerprint, bool Fabric, DateTimeOffset JoinedAt, string? OpenedIncident = null);

public sealed record LastFault(string Fingerprint, DateTimeOffset RecordedAt);

public sealed record PastIncident(
    string IncidentId, string Fingerprint, string? LastRunbook, ImmutableList<string> FailedActions,
    DateTimeOffset ClosedAt);
