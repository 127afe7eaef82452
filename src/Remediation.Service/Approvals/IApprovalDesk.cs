namespace Remediation.Service.Approvals;

/// <summary>
/// Where an operator's decision on an approval enters the node's state machine, from Slack, HTTP or the CLI alike.
/// The first decision wins; a later one, or one for an approval that expired, changes nothing.
/// </summary>
public interface IApprovalDesk
{
    /// <summary>Decides and waits until the decision is committed to the node's stream.</summary>
    Task<ApprovalAnswer> DecideAsync(ApprovalCommand command, CancellationToken ct);

    /// <summary>Records, in the node's stream, that someone who may not decide tried to.</summary>
    Task RecordRefusalAsync(string approvalId, string who, string reason, CancellationToken ct);
}

/// <param name="Via">Where the decision came from: "slack", "api" or "cli".</param>
public sealed record ApprovalCommand(string ApprovalId, bool Approve, string Operator, string? Reason, string Via);

public sealed record ApprovalAnswer(ApprovalAnswerKind Kind, string? NodeId, string Message);

public enum ApprovalAnswerKind
{
    /// <summary>This decision was committed.</summary>
    Decided,

    /// <summary>The approval exists but is no longer waiting: someone decided first, or it expired.</summary>
    NotWaiting,

    /// <summary>No approval has this id.</summary>
    Unknown,
}
