using Marten;
using Remediation.Service.Bus;

namespace Remediation.Service.Api;

public static class HealthEndpoint
{
    public static void MapHealth(this IEndpointRouteBuilder app) => app.MapGet("/health", CheckAsync);

    private static async Task<IResult> CheckAsync(IDocumentStore store, BusConnection bus, CancellationToken ct)
    {
        var problems = new List<string>();
        try
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", ct);
        }
        catch (Exception e)
        {
            problems.Add($"postgresql: {e.Message}");
        }
        if (!bus.IsOpen) problems.Add("rabbitmq: connection is closed");
        var body = new { status = problems.Count == 0 ? "healthy" : "unhealthy", problems };
        return problems.Count == 0 ? Results.Ok(body) : Results.Json(body, statusCode: 503);
    }
}
