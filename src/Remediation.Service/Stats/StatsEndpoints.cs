using Marten;
using Remediation.Service.Auth;

namespace Remediation.Service.Stats;

/// <summary>GET /api/stats?since=7d|ISO-TIME[&amp;until=…]; POST /api/stats/rebuild (operator).</summary>
public static class StatsEndpoints
{
    public static void MapStats(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", ReadAsync);
        api.MapPost("/stats/rebuild", async (StatsRebuild rebuild, CancellationToken ct) => Results.Ok(new { eventsRead = await rebuild.RunAsync(ct) }))
            .RequireRole(ApiRole.Operator);
    }

    private static async Task<IResult> ReadAsync(IDocumentStore store, StatsReader reader, TimeProvider clock, string? since, string? until, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (Period.Parse(since ?? "7d", now) is not { } from)
            return Results.Problem($"since must be a duration such as 7d, 24h, 90m or an ISO 8601 time, not '{since}'", statusCode: 400);
        if (Period.Parse(until, now) is not { } to)
            return Results.Problem($"until must be a duration such as 1d or an ISO 8601 time, not '{until}'", statusCode: 400);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return Results.Ok(await reader.ReadAsync(connection, from, to, ct));
    }
}
