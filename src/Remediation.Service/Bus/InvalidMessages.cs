using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Service.Hosting;

namespace Remediation.Service.Bus;

/// <summary>Parks a message that cannot be used in its invalid queue, body untouched, with the reason in a header.</summary>
public sealed class InvalidMessages(BusConnection bus, RemediationMetrics metrics, ILogger<InvalidMessages> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ChannelWatch _watch = new(TimeSpan.FromSeconds(3));
    private IChannel? _channel;

    public async Task ParkAsync(string queue, ReadOnlyMemory<byte> body, string reason, CancellationToken ct)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            Headers = new Dictionary<string, object?> { [Exchanges.InvalidReasonHeader] = reason },
        };
        await _gate.WaitAsync(ct);
        try
        {
            if (_channel is not null && _watch.Lost(bus.Connection, _channel))
            {
                await bus.ReleaseAsync(_channel);
                _channel = null;
            }
            _channel ??= await bus.CreateConfirmedChannelAsync(ct);
            await _channel.BasicPublishAsync(Exchanges.Invalid, queue, mandatory: false, properties, body, ct);
        }
        finally
        {
            _gate.Release();
        }
        metrics.MessageParked(queue);
        logger.LogWarning("Parked a message in {Queue}: {Reason}", queue, reason);
    }
}
