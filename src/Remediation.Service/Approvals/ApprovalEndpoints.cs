using Marten;
using Remediation.Core.Nodes;
using Remediation.Service.Auth;
using static Remediation.Service.Auth.OperatorReason;

namespace Remediation.Service.Approvals;

/// <summary>Approvals over HTTP: the ones waiting, and an approver's decision on one.</summary>
public static class ApprovalEndpoints
{
    public static void MapApprovals(this RouteGroupBuilder api)
    {
        api.MapGet("/approvals", ListApprovalsAsync);
        api.MapPost("/approvals/{approvalId}/approve", (string approvalId, HttpContext http, IApprovalDesk desk, CancellationToken ct) =>
            DecideAsync(approvalId, approve: true, reason: null, http, desk, ct)).RequireRole(ApiRole.Approver);
        api.MapPost("/approvals/{approvalId}/reject", async (string approvalId, HttpContext http, IApprovalDesk desk, CancellationToken ct) =>
            await ReasonOf(http, ct) is { } reason
                ? await DecideAsync(approvalId, approve: false, reason, http, desk, ct)
                : NeedsReason("rejecting")).RequireRole(ApiRole.Approver);
    }

    private static async Task<IResult> ListApprovalsAsync(IQuerySession session, CancellationToken ct)
    {
        var waiting = await session.Query<NodeState>().Where(n => n.Status == NodeStatus.AwaitingApproval).ToListAsync(ct);
        return Results.Ok(waiting
            .Where(n => n.Incident?.Approval is { Granted: false })
            .Select(n => new PendingApprovalView(n.Incident!.Approval!.ApprovalId, n.Id, n.Incident.Id, n.Incident.Runbook,
                n.Incident.Kind, n.Incident.Xid, n.Incident.Device, n.Incident.Evidence, n.Incident.Approval.RequestedAt, n.Incident.Approval.ExpiresAt))
            .OrderBy(a => a.ExpiresAt));
    }

    private static async Task<IResult> DecideAsync(string approvalId, bool approve, string? reason, HttpContext http, IApprovalDesk desk, CancellationToken ct)
    {
        var answer = await desk.DecideAsync(new ApprovalCommand(approvalId, approve, BearerTokenFilter.OperatorOf(http), reason, "api"), ct);
        return answer.Kind switch
        {
            ApprovalAnswerKind.Decided => Results.Ok(answer),
            ApprovalAnswerKind.NotWaiting => Results.Problem(answer.Message, statusCode: StatusCodes.Status409Conflict),
            _ => Results.Problem(answer.Message, statusCode: StatusCodes.Status404NotFound),
        };
    }
}

public sealed record PendingApprovalView(
    string ApprovalId, string NodeId, string IncidentId, string? Runbook, string Kind, int? Xid, string? Device, string? Evidence,
    DateTimeOffset? RequestedAt, DateTimeOffset ExpiresAt);
