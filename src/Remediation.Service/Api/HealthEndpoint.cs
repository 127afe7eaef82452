using Marten;
using Remediation.Service.Bus;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Api;

/// <summary>
/// /health: 503 "unhealthy" when PostgreSQL or RabbitMQ is unreachable; 200 "degraded" when the pipeline lags
/// further behind than <c>Health:MaxLag</c> or a consumer or partition endpoint is not consuming (named), so a
/// remediator days behind or stuck never calls itself healthy, yet a liveness probe does not restart a service that
/// is only busy.
/// </summary>
public static class HealthEndpoint
{
    public static void MapHealth(this IEndpointRouteBuilder app) => app.MapGet("/health", CheckAsync);

    private static async Task<IResult> CheckAsync(
        IDocumentStore store, TransportHealth transport, DecisionLoop loop, PartitionLeases leases, IConfiguration config, TimeProvider clock, CancellationToken ct)
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
        var (down, stuck) = transport.Check();
        if (down) problems.Add("rabbitmq: the bus is not connected");
        var lag = loop.Lag(clock.GetUtcNow());
        var maxLag = config.GetValue("Health:MaxLag", TimeSpan.FromMinutes(2));
        var lagging = lag > maxLag;
        if (lagging) problems.Add($"pipeline: the oldest input has waited {lag.TotalSeconds:F0}s (Health:MaxLag is {maxLag.TotalSeconds:F0}s)");
        var unhealthy = problems.Count > (lagging ? 1 : 0);
        problems.AddRange(stuck.Select(s => $"transport: {s}"));
        var status = unhealthy ? "unhealthy" : problems.Count > 0 ? "degraded" : "healthy";
        var body = new { status, lagSeconds = Math.Round(lag.TotalSeconds, 3), partitions = leases.Held, problems };
        return status == "unhealthy" ? Results.Json(body, statusCode: 503) : Results.Ok(body);
    }
}
