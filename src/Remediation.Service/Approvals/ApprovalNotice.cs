namespace Remediation.Service.Approvals;

/// <summary>What an approver needs to decide: the node, the fault and its evidence, the proposed step, what was tried.</summary>
public sealed record ApprovalNotice(
    string ApprovalId,
    string NodeId,
    string IncidentId,
    string Runbook,
    string Step,
    string Action,
    string Fault,
    string? Evidence,
    IReadOnlyList<string> AlreadyTried,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt);

/// <summary>How an approval ended: granted, rejected or expired, by whom and when.</summary>
public sealed record ApprovalVerdict(
    string ApprovalId, string NodeId, ApprovalOutcome Outcome, string? DecidedBy, string? Reason, DateTimeOffset At);

public enum ApprovalOutcome { Granted, Rejected, Expired }
