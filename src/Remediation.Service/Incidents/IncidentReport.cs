using Remediation.Core.Nodes;

namespace Remediation.Service.Incidents;

/// <summary>
/// One incident's whole life, read from its node's stream: detection, decisions, actions, verification, resolution,
/// and how long each part took. The postmortem is written from this.
/// </summary>
public sealed record IncidentReport(
    string Id,
    string NodeId,
    string Status,
    string Kind,
    int? Xid,
    string? Device,
    DateTimeOffset DetectedAt,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    string? Resolution,
    IReadOnlyList<string> Runbooks,
    IncidentDurations Durations,
    IReadOnlyList<StepRecord> Steps,
    IReadOnlyList<ApprovalRecord> Approvals,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<TimelineEntry> Events);

/// <summary>Seconds from the fault's observation to each milestone; null when the incident never got there.</summary>
public sealed record IncidentDurations(double? Detect, double? Decide, double? Act, double? Recover);

public sealed record StepRecord(
    string CommandId, string Runbook, string Step, string Action, int Attempt, bool Verification, DateTimeOffset DispatchedAt,
    string Outcome, DateTimeOffset? FinishedAt, string? Output);

public sealed record ApprovalRecord(
    string ApprovalId, string Step, string Action, DateTimeOffset RequestedAt, string Outcome, string? By, string? Reason, DateTimeOffset? DecidedAt);
