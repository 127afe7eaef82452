using RabbitMQ.Client;
using Remediation.Service.Hosting;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>
/// The service's RabbitMQ connections: one for deciding (partition consumers, their acknowledgements, step commands)
/// and one for the router. A connection's frames are handled in order and RabbitMQ's flow control throttles a
/// connection as a whole, so on a shared one a router bursting thousands of publishes held the loop's acks and step
/// commands back behind them for seconds.
/// </summary>
public sealed class BusConnection(RemediationOptions options, PartitionOptions partitions, ILogger<BusConnection> logger) : IHostedService, IAsyncDisposable
{
    private IConnection? _connection;
    private IConnection? _routing;
    private readonly List<IChannel> _leftOver = [];

    public bool IsOpen => _connection?.IsOpen == true && _routing?.IsOpen == true;

    public IConnection Connection => _connection ?? throw new InvalidOperationException("The bus is not started yet.");

    public IConnection RoutingConnection => _routing ?? throw new InvalidOperationException("The bus is not started yet.");

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
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("RabbitMQ at {Host} is not reachable yet ({Error}); retrying", factory.HostName, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        _routing = await BusTopology.Factory(options.RabbitMq, "remediation-router").CreateConnectionAsync(ct);
        // Channels let go of during an outage come back with the connection, consumers and all: end them then.
        _connection.RecoverySucceededAsync += (_, _) => DisposeLeftOverAsync();
        _routing.RecoverySucceededAsync += (_, _) => DisposeLeftOverAsync();
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: ct);
        await BusTopology.DeclareAsync(channel, partitions, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<IChannel> CreateConfirmedChannelAsync(CancellationToken ct) =>
        Connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);

    /// <summary>
    /// Ends a short-lived channel. Disposing a channel while its connection is down can leave the client's automatic
    /// recovery of the connection's other channels undone (rabbitmq-dotnet-client#1647; after a broker restart under
    /// load the loop's command channel stayed closed for good), so such a channel is kept until the connection is back.
    /// </summary>
    public async Task ReleaseAsync(IChannel channel)
    {
        lock (_leftOver) _leftOver.Add(channel);
        await DisposeLeftOverAsync();
    }

    private async Task DisposeLeftOverAsync()
    {
        List<IChannel> release;
        lock (_leftOver)
        {
            if (_connection?.IsOpen != true || _routing?.IsOpen != true) return;
            release = [.. _leftOver];
            _leftOver.Clear();
        }
        foreach (var done in release) await done.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_routing is not null) await _routing.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
