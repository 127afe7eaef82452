using RabbitMQ.Client;
using Remediation.Service.Hosting;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>The service's one RabbitMQ connection; channels are cheap, connections are not.</summary>
public sealed class BusConnection(RemediationOptions options, PartitionOptions partitions, ILogger<BusConnection> logger) : IHostedService, IAsyncDisposable
{
    private IConnection? _connection;

    public bool IsOpen => _connection?.IsOpen == true;

    public IConnection Connection => _connection ?? throw new InvalidOperationException("The bus is not started yet.");

    public async Task StartAsync(CancellationToken ct)
    {
        var factory = BusTopology.Factory(options.RabbitMq, "remediation-service");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _connection = await factory.CreateConnectionAsync(ct);
                break;
            }
            catch (Exception e) when (attempt < 30 && e is not OperationCanceledException)
            {
                logger.LogWarning("RabbitMQ at {Host} is not reachable yet ({Error}); retrying", factory.HostName, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: ct);
        await BusTopology.DeclareAsync(channel, partitions, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<IChannel> CreateConfirmedChannelAsync(CancellationToken ct) =>
        Connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
