using Marten;
using Remediation.Core.Nodes;
using Remediation.Core.Storms;
using Remediation.Service.Incidents;

namespace Remediation.Service.Api;

/// <summary>Incidents: a fault's whole life on one node, listed fleet-wide and read one at a time for postmortems.</summary>
public static class IncidentsEndpoints
{
    public static void MapIncidents(this RouteGroupBuilder api)
    {
        api.MapGet("/incidents", ListAsync);
        api.MapGet("/incidents/{incidentId}", GetAsync);
        api.MapGet("/storms", async (IQuerySession session, CancellationToken ct) =>
            Results.Ok((await session.Events.FetchStreamAsync(StormWatch.StreamKey, token: ct)).Select(e => e.Data)));
        // A storm's own stream: the tallies of the identical repeats it absorbed from the nodes it held.
        api.MapGet("/storms/{stormId}/tallies", async (string stormId, IQuerySession session, CancellationToken ct) =>
            Results.Ok((await session.Events.FetchStreamAsync(StormWatch.StreamOf(stormId), token: ct)).Select(e => e.Data)));
    }

    /// <summary>
    /// The newest incidents first, as their opening events say (an <see cref="IncidentOpened"/>, or a storm's join that
    /// opened one); read one to see how it went.
    /// </summary>
    private static async Task<IResult> ListAsync(IQuerySession session, string? node, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000) return Results.Problem("limit must be from 1 to 1000", statusCode: 400);
        var take = limit ?? 100;
        IQueryable<IncidentOpened> opened = session.Events.QueryRawEventDataOnly<IncidentOpened>();
        IQueryable<NodeJoinedStorm> joined = session.Events.QueryRawEventDataOnly<NodeJoinedStorm>().Where(j => j.Opened);
        if (node is not null)
        {
            opened = opened.Where(o => o.NodeId == node);
            joined = joined.Where(j => j.NodeId == node);
        }
        var rows = (await opened.OrderByDescending(o => o.OpenedAt).Take(take).ToListAsync(ct))
            .Select(o => new IncidentRow(o.IncidentId, o.NodeId, o.Kind, o.Xid, o.Device, o.OpenedAt, null, null))
            .Concat((await joined.OrderByDescending(j => j.JoinedAt).Take(take).ToListAsync(ct))
                .Select(j => new IncidentRow(j.IncidentId!, j.NodeId, j.Kind, j.Xid, j.Device, j.JoinedAt, null, null)))
            .OrderByDescending(r => r.OpenedAt).Take(take).ToList();
        var ids = rows.Select(r => r.Id).ToList();
        var resolved = (await session.Events.QueryRawEventDataOnly<IncidentResolved>().Where(r => ids.Contains(r.IncidentId)).ToListAsync(ct))
            .Select(r => (r.IncidentId, r.ResolvedAt, r.Resolution))
            .Concat((await session.Events.QueryRawEventDataOnly<NodeLeftStorm>().Where(l => ids.Contains(l.ResolvedIncident!)).ToListAsync(ct))
                .Select(l => (IncidentId: l.ResolvedIncident!, ResolvedAt: l.LeftAt, Resolution: l.Resolution())))
            .ToDictionary(r => r.IncidentId);
        return Results.Ok(rows.Select(r => resolved.TryGetValue(r.Id, out var end) ? r with { ResolvedAt = end.ResolvedAt, Resolution = end.Resolution } : r));
    }

    private static async Task<IResult> GetAsync(IQuerySession session, string incidentId, CancellationToken ct)
    {
        if (IncidentReader.NodeOf(incidentId) is not { } nodeId)
            return Results.Problem($"'{incidentId}' is not an incident id (they look like inc-NODE-N)", statusCode: 400);
        var stream = await session.Events.FetchStreamAsync(nodeId, token: ct);
        return IncidentReader.Read(incidentId, stream) is { } report
            ? Results.Ok(report)
            : Results.Problem($"incident '{incidentId}' was not found", statusCode: 404);
    }

    public sealed record IncidentRow(
        string Id, string NodeId, string Kind, int? Xid, string? Device, DateTimeOffset OpenedAt, DateTimeOffset? ResolvedAt, string? Resolution);
}
