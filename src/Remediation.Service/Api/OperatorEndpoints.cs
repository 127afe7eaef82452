using Marten;
using Remediation.Contracts;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Auth;
using Remediation.Service.Operators;
using static Remediation.Service.Auth.OperatorReason;

namespace Remediation.Service.Api;

/// <summary>What an operator does over HTTP besides approvals: pause and resume automation, hold and release nodes.</summary>
public static class OperatorEndpoints
{
    public static void MapOperators(this RouteGroupBuilder api)
    {
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
}
