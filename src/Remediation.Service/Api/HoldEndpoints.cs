using Marten;
using Remediation.Contracts;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Auth;
using Remediation.Service.Operators;
using static Remediation.Service.Auth.OperatorReason;

namespace Remediation.Service.Api;

/// <summary>An operator takes a node from automation, or gives it back, over HTTP.</summary>
public static class HoldEndpoints
{
    public static void MapHolds(this RouteGroupBuilder api)
    {
        api.MapPost("/nodes/{nodeId}/hold", (string nodeId, HttpContext http, IQuerySession session, OperatorInbox inbox, CancellationToken ct) =>
            HoldAsync(nodeId, hold: true, http, session, inbox, ct)).RequireRole(ApiRole.Operator);
        api.MapPost("/nodes/{nodeId}/release", (string nodeId, HttpContext http, IQuerySession session, OperatorInbox inbox, CancellationToken ct) =>
            HoldAsync(nodeId, hold: false, http, session, inbox, ct)).RequireRole(ApiRole.Operator);
    }

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
