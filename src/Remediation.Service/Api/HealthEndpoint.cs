using Marten;
using Remediation.Service.Bus;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Api;

/// <summary>
/// Three probes. <c>/health/live</c> says only that the process answers: an outage of PostgreSQL or RabbitMQ must not
/// turn into a restart loop of the service, which waits for them and recovers by itself. The one exception is a
/// transport wedged for good while the broker answers (<see cref="TransportWedge"/>): then it is 503 "wedged". <c>/health/ready</c> and
/// <c>/health</c> report the servers and the pipeline: 503 "unhealthy" when a server is unreachable or commits keep
/// failing; 200 "degraded" when the pipeline lags past <c>Health:MaxLag</c> or stalls past <c>Health:MaxStall</c>, or a
/// consumer or partition endpoint of the transport is not consuming (named).
/// </summary>
public static class HealthEndpoint
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync);
        app.MapGet("/health/ready", CheckAsync);
        app.MapGet("/health/live", (TransportWedge wedge) => wedge.Reason is { } reason
            ? Results.Json(new { status = "wedged", problems = new[] { $"transport: {reason}" } }, statusCode: 503)
            : Results.Ok(new { status = "alive" }));
    }

    private static async Task<IResult> CheckAsync(
        IDocumentStore store, TransportHealth transport, DecisionLoop loop, CommitHealth commits, PartitionLeases leases, HealthOptions options,
        TimeProvider clock, CancellationToken ct)
    {
        var broken = new List<string>();
        var slow = new List<string>();
        try
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", ct);
        }
        catch (Exception e)
        {
            broken.Add($"postgresql: {e.Message}");
        }
        var (down, stalled) = transport.Check();
        if (down) broken.Add("rabbitmq: the bus is not connected");
        slow.AddRange(stalled.Select(s => $"transport: {s} is not consuming"));
        var lag = loop.Lag(clock.GetUtcNow());
        if (commits.Problem(lag) is { } stuck)
        {
            (stuck.Failing ? broken : slow).Add(stuck.Text);
        }
        if (lag > options.MaxLag)
            slow.Add($"pipeline: the oldest input has waited {lag.TotalSeconds:F0}s (Health:MaxLag is {options.MaxLag.TotalSeconds:F0}s)");
        var status = broken.Count > 0 ? "unhealthy" : slow.Count > 0 ? "degraded" : "healthy";
        var body = new { status, lagSeconds = Math.Round(lag.TotalSeconds, 3), partitions = leases.Held, problems = broken.Concat(slow).ToList() };
        return status == "unhealthy" ? Results.Json(body, statusCode: 503) : Results.Ok(body);
    }
}
