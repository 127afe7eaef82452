using Marten;
using Remediation.Core.Nodes;
using Remediation.Core.Storms;
using Remediation.Service.Incidents;
using Remediation.Store;

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

    private static async Task<IResult> ListAsync(HttpRequest request, IQuerySession session, Topology topology, CancellationToken ct)
    {
        var (query, error) = FleetQuery.Parse(request.Query, topology);
        return query is null ? Results.Problem(error, statusCode: 400) : Results.Ok(await query.RunAsync(session, ct));
    }

    private static async Task<IResult> GetAsync(IQuerySession session, string nodeId, CancellationToken ct) =>
        await session.LoadAsync<NodeState>(nodeId, ct) is { } node ? Results.Ok(node) : UnknownNode(nodeId);

    private static async Task<IResult> TimelineAsync(
        HttpContext http, IQuerySession session, StoredEvents log, string nodeId, string? since, long? after, int? limit, string? order, CancellationToken ct)
    {
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                return Results.Problem($"since must be an ISO 8601 time such as 2026-11-25T10:00:00Z, not '{since}'", statusCode: 400);
            from = parsed;
        }
        if (after is null && limit is null && order is null)
        {
            var events = await log.ReadStreamAfterAsync(nodeId, 0, ct);
            if (events.Count == 0) return UnknownNode(nodeId);
            return Results.Ok(events.Where(e => from is null || e.Timestamp >= from).Select(TimelineEntry.Of));
        }
        var (page, error) = TimelinePage.Parse(after, limit, order);
        if (page is null) return Results.Problem(error, statusCode: 400);
        var rows = await page.ReadAsync(log, nodeId, from, ct);
        if (rows.Count == 0 && await session.Events.FetchStreamStateAsync(nodeId, ct) is null) return UnknownNode(nodeId);
        if (page.NextAfter(rows) is { } next)
            http.Response.Headers.Link = $"<{http.Request.Path}?after={next}&limit={page.Limit}&order={page.Order}>; rel=\"next\"";
        return Results.Ok(rows.Take(page.Limit));
    }

    private static IResult UnknownNode(string nodeId) => Results.Problem($"node '{nodeId}' has no recorded events", statusCode: 404);
}
