using Marten;
using Remediation.Contracts;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Approvals;
using Remediation.Service.Auth;
using Remediation.Service.Operators;

namespace Remediation.Service.Api;

/// <summary>What an operator does over HTTP: decide approvals, pause and resume automation, hold and release nodes.</summary>
public static class OperatorEndpoints
{
    public static void MapOperators(this RouteGroupBuilder api)
    {
        api.MapGet("/approvals", ListApprovalsAsync);
        api.MapPost("/approvals/{approvalId}/approve", (string approvalId, HttpContext http, IApprovalDesk desk, CancellationToken ct) =>
            DecideAsync(approvalId, approve: true, reason: null, http, desk, ct)).RequireRole(ApiRole.Approver);
        api.MapPost("/approvals/{approvalId}/reject", async (string approvalId, HttpContext http, IApprovalDesk desk, CancellationToken ct) =>
            await ReasonOf(http, ct) is { } reason
                ? await DecideAsync(approvalId, approve: false, reason, http, desk, ct)
                : NeedsReason("rejecting")).RequireRole(ApiRole.Approver);
        api.MapGet("/automation", ReadAutomationAsync);
        api.MapPost("/automation/pause", async (HttpContext http, AutomationSwitch automation, CancellationToken ct) =>
            await ReasonOf(http, ct) is { } reason
                ? Results.Ok(await automation.PauseAsync(BearerTokenFilter.OperatorOf(http), reason, ct))
                : NeedsReason("pausing")).RequireRole(ApiRole.Operator);
        api.MapPost("/automation/resume", async (HttpContext http, AutomationSwitch automation, CancellationToken ct) =>
            Results.Ok(await automation.ResumeAsync(BearerTokenFilter.OperatorOf(http), await ReasonOf(http, ct) ?? "resumed", ct))).RequireRole(ApiRole.Operator);
        api.MapPost("/nodes/{nodeId}/hold", (string nodeId, HttpContext http, IQuerySession session, OperatorInbox inbox, CancellationToken ct) =>
            HoldAsync(nodeId, hold: true, http, session, inbox, ct)).RequireRole(ApiRole.Operator);
        api.MapPost("/nodes/{nodeId}/release", (string nodeId, HttpContext http, IQuerySession session, OperatorInbox inbox, CancellationToken ct) =>
            HoldAsync(nodeId, hold: false, http, session, inbox, ct)).RequireRole(ApiRole.Operator);
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

    private static async Task<IResult> ReadAutomationAsync(AutomationSwitch automation, CancellationToken ct) =>
        Results.Ok(new { control = await automation.ReadAsync(ct), history = await automation.HistoryAsync(ct) });

    private static async Task<IResult> HoldAsync(string nodeId, bool hold, HttpContext http, IQuerySession session, OperatorInbox inbox, CancellationToken ct)
    {
        if (!NodeNames.IsValid(nodeId)) return Results.Problem($"'{nodeId}' is not a node id", statusCode: 400);
        var reason = await ReasonOf(http, ct);
        if (reason is null) return NeedsReason(hold ? "holding a node" : "releasing a node");
        if (!hold && await session.LoadAsync<NodeState>(nodeId, ct) is null)
            return Results.Problem($"node '{nodeId}' has no recorded events", statusCode: 404);
        var decision = await inbox.SubmitAsync(new OperatorHold(nodeId, hold, BearerTokenFilter.OperatorOf(http), reason), ct);
        return decision.Refusal is { } refusal
            ? Results.Problem(refusal, statusCode: StatusCodes.Status409Conflict)
            : Results.Ok(decision.State);
    }

    /// <summary>The reason from a JSON body <c>{"reason": "…"}</c>; null when there is none or it is blank.</summary>
    private static async Task<string?> ReasonOf(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength is 0 or null && !http.Request.Headers.ContentType.Any()) return null;
        try
        {
            var body = await http.Request.ReadFromJsonAsync<ReasonBody>(ct);
            return string.IsNullOrWhiteSpace(body?.Reason) ? null : body.Reason.Trim();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static IResult NeedsReason(string what) =>
        Results.Problem($"{what} needs a reason: send a JSON body {{\"reason\": \"...\"}}", statusCode: 400);

    private sealed record ReasonBody(string? Reason);
}

public sealed record PendingApprovalView(
    string ApprovalId, string NodeId, string IncidentId, string? Runbook, string Kind, int? Xid, string? Device, string? Evidence,
    DateTimeOffset? RequestedAt, DateTimeOffset ExpiresAt);
