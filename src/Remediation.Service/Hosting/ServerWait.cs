using Npgsql;

namespace Remediation.Service.Hosting;

/// <summary>
/// Runs first at start-up and waits, for as long as it takes, until PostgreSQL answers, saying every few seconds why
/// it waits. A service started during an outage then comes up by itself when it ends, instead of exiting into a restart
/// loop. RabbitMQ is waited for by the bus itself, whose start retries until the broker answers.
/// </summary>
public sealed class ServerWait(RemediationOptions options, TimeProvider clock, ILogger<ServerWait> logger) : IHostedService
{
    public static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken ct)
    {
        await WaitAsync("PostgreSQL", PostgresAsync, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task WaitAsync(string server, Func<CancellationToken, Task> probe, CancellationToken ct)
    {
        var since = clock.GetUtcNow();
        var reported = DateTimeOffset.MinValue;
        while (true)
        {
            try
            {
                await probe(ct);
                if (reported != DateTimeOffset.MinValue)
                    logger.LogInformation("{Server} answers after {Seconds:F0}s; starting", server, (clock.GetUtcNow() - since).TotalSeconds);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (clock.GetUtcNow() - reported >= ReportEvery)
                {
                    logger.LogWarning("Waiting for {Server} for {Seconds:F0}s: {Error}", server, (clock.GetUtcNow() - since).TotalSeconds, e.Message);
                    reported = clock.GetUtcNow();
                }
                await Task.Delay(Retry, clock, ct);
            }
        }
    }

    private async Task PostgresAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(options.Postgres);
        await connection.OpenAsync(ct);
    }
}
