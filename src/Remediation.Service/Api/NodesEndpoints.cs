using Marten;
using Remediation.Service.Nodes;

namespace Remediation.Service.Api;

public static class NodesEndpoints
{
    public static void MapNodes(this RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/nodes");
        nodes.MapGet("", ListAsync);
        nodes.MapGet("/{nodeId}", GetAsync);
        nodes.MapGet("/{nodeId}/timeline", TimelineAsync);
    }

    private static async Task<IResult> ListAsync(IQuerySession session, string? status, CancellationToken ct)
    {
        if (status is null)
            return Results.Ok(await session.Query<NodeState>().OrderBy(n => n.Id).ToListAsync(ct));
        if (!Enum.TryParse<NodeStatus>(status, ignoreCase: true, out var wanted))
            return Results.Problem($"unknown status '{status}' (one of {string.Join(", ", Enum.GetNames<NodeStatus>())})", statusCode: 400);
        return Results.Ok(await session.Query<NodeState>().Where(n => n.Status == wanted).OrderBy(n => n.Id).ToListAsync(ct));
    }

    private static async Task<IResult> GetAsync(IQuerySession session, string nodeId, CancellationToken ct) =>
        await session.LoadAsync<NodeState>(nodeId, ct) is { } node ? Results.Ok(node) : UnknownNode(nodeId);

    private static async Task<IResult> TimelineAsync(IQuerySession session, string nodeId, string? since, CancellationToken ct)
    {
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                return Results.Problem($"since must be an ISO 8601 time such as 2026-11-25T10:00:00Z, not '{since}'", statusCode: 400);
            from = parsed;
        }
        var events = await session.Events.FetchStreamAsync(nodeId, token: ct);
        if (events.Count == 0) return UnknownNode(nodeId);
        return Results.Ok(events.Where(e => from is null || e.Timestamp >= from)
            .Select(e => new TimelineEntry(e.Version, e.Timestamp, e.EventType.Name, e.Data)));
    }

    private static IResult UnknownNode(string nodeId) => Results.Problem($"node '{nodeId}' has no recorded events", statusCode: 404);
}

public sealed record TimelineEntry(long Sequence, DateTimeOffset Timestamp, string Type, object Data);
