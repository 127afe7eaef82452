using Npgsql;
using RabbitMQ.Client;
using Remediation.Service.Bus;

namespace Remediation.Service.Hosting;

/// <summary>
/// Runs first at start-up and waits, for as long as it takes, until PostgreSQL and RabbitMQ both answer, saying every
/// few seconds which one it waits for and why. A service started during an outage of either then comes up by itself
/// when it ends, instead of exiting into a restart loop.
/// </summary>
public sealed class ServerWait(RemediationOptions options, ILogger<ServerWait> logger) : IHostedService
{
    public static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken ct)
    {
        await WaitAsync("PostgreSQL", PostgresAsync, ct);
        await WaitAsync("RabbitMQ", RabbitMqAsync, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task WaitAsync(string server, Func<CancellationToken, Task> probe, CancellationToken ct)
    {
        var since = DateTimeOffset.UtcNow;
        var reported = DateTimeOffset.MinValue;
        while (true)
        {
            try
            {
                await probe(ct);
                if (reported != DateTimeOffset.MinValue)
                    logger.LogInformation("{Server} answers after {Seconds:F0}s; starting", server, (DateTimeOffset.UtcNow - since).TotalSeconds);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow - reported >= ReportEvery)
                {
                    logger.LogWarning("Waiting for {Server} for {Seconds:F0}s: {Error}", server, (DateTimeOffset.UtcNow - since).TotalSeconds, e.Message);
                    reported = DateTimeOffset.UtcNow;
                }
                await Task.Delay(Retry, ct);
            }
        }
    }

    private async Task PostgresAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(options.Postgres);
        await connection.OpenAsync(ct);
    }

    private async Task RabbitMqAsync(CancellationToken ct)
    {
        var factory = BusTopology.Factory(options.RabbitMq, "remediation-service-probe");
        factory.AutomaticRecoveryEnabled = false;
        await using var connection = await factory.CreateConnectionAsync(ct);
        await connection.CloseAsync(ct);
    }
}
