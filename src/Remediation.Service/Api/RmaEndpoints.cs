using Remediation.Contracts;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Auth;
using Remediation.Service.Repair.Rma;
using Remediation.Service.Operators;

namespace Remediation.Service.Api;

/// <summary>
/// A node InRepair waits for its RMA ticket to close: the ticket system calls back (<c>POST /webhooks/rma</c>, its own
/// secret), or an operator says so (<c>POST /api/nodes/{id}/rma/close</c>, <c>remediation rma-closed</c>).
/// </summary>
public static class RmaEndpoints
{
    public static void MapRmaClose(this RouteGroupBuilder api) =>
        api.MapPost("/nodes/{nodeId}/rma/close", async (string nodeId, CloseBody? body, HttpContext http, OperatorInbox inbox, CancellationToken ct) =>
            await CloseAsync(nodeId, body?.Resolution ?? body?.Reason, $"operator:{BearerTokenFilter.OperatorOf(http)}", inbox, ct)).RequireRole(ApiRole.Operator);

    public static void MapRmaWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/rma", async (CloseBody? body, HttpRequest request, RmaOptions options, OperatorInbox inbox, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(options.CallbackToken))
                return SharedSecret.Unauthorized(request, "Rma:CallbackToken is not configured; the webhook refuses every request until it is");
            if (!SharedSecret.Matches(request, options.CallbackToken)) return SharedSecret.Unauthorized(request, "missing or wrong bearer token");
            if (body?.Node is not { } node) return Results.Problem("the body needs \"node\" (and \"resolution\")", statusCode: 400);
            var ticket = body.TicketId is { } id ? $"ticket-system:{id}" : "ticket-system";
            return await CloseAsync(node, body.Resolution, ticket, inbox, ct);
        });

    private static async Task<IResult> CloseAsync(string nodeId, string? resolution, string closedBy, OperatorInbox inbox, CancellationToken ct)
    {
        if (!NodeNames.IsValid(nodeId)) return Results.Problem($"'{nodeId}' is not a node id", statusCode: 400);
        if (string.IsNullOrWhiteSpace(resolution))
            return Results.Problem("closing an RMA needs a resolution: send {\"resolution\": \"GPU replaced\"}", statusCode: 400);
        var decision = await inbox.SubmitAsync(new RmaTicketClosed(nodeId, closedBy, resolution.Trim()), ct);
        return decision.Refusal is { } refusal ? Results.Problem(refusal, statusCode: 409) : Results.Ok(decision.State);
    }

    public sealed record CloseBody(string? Node, string? TicketId, string? Resolution, string? Reason);
}
