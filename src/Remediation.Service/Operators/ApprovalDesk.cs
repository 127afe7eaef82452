using Marten;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Approvals;

namespace Remediation.Service.Operators;

/// <summary>
/// Approvals from Slack, HTTP and the CLI alike go through here into the node's state machine. It sits beside the
/// inbox it submits through, not in Approvals/: the decision loop hands its approval events to Approvals/, which
/// would otherwise reach back into the loop.
/// </summary>
public sealed class ApprovalDesk(IDocumentStore store, OperatorInbox inbox) : IApprovalDesk
{
    public async Task<ApprovalAnswer> DecideAsync(ApprovalCommand command, CancellationToken ct)
    {
        if (await NodeOfAsync(command.ApprovalId, ct) is not { } nodeId)
            return new ApprovalAnswer(ApprovalAnswerKind.Unknown, null, $"no approval has id '{command.ApprovalId}'");
        var who = command.Operator.Contains(':') ? command.Operator : $"{command.Via}:{command.Operator}";
        var decision = await inbox.SubmitAsync(new OperatorDecision(nodeId, command.ApprovalId, command.Approve, who, command.Reason), ct);
        if (decision.Refusal is { } refusal)
            return new ApprovalAnswer(ApprovalAnswerKind.NotWaiting, nodeId, $"{refusal}: it was already decided or it expired");
        var verb = command.Approve ? "approved" : "rejected";
        return new ApprovalAnswer(ApprovalAnswerKind.Decided, nodeId, $"{command.ApprovalId} {verb} by {who}; node {nodeId} is {decision.State.Status}");
    }

    public async Task RecordRefusalAsync(string approvalId, string who, string reason, CancellationToken ct)
    {
        if (await NodeOfAsync(approvalId, ct) is { } nodeId)
            await inbox.SubmitAsync(new ApproverRefused(nodeId, approvalId, who, reason), ct);
    }

    /// <summary>Approvals are found by their request event, so one that was already decided is told apart from none.</summary>
    private async Task<string?> NodeOfAsync(string approvalId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var requested = await query.Events.QueryRawEventDataOnly<ApprovalRequested>()
            .Where(e => e.ApprovalId == approvalId).FirstOrDefaultAsync(ct);
        return requested?.NodeId;
    }
}
