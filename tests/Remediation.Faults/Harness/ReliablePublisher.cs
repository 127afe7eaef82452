using RabbitMQ.Client;
using Remediation.Contracts;

namespace Remediation.Faults.Harness;

/// <summary>
/// Publishes raw bodies with publisher confirms and keeps retrying a message until the broker confirms it, the way
/// the agent's spool does across a broker outage. A retry after a lost confirm may publish a message twice: the
/// eventId is the idempotency key, so that is part of what the service must absorb.
/// </summary>
public sealed class ReliablePublisher(IConnection connection, string exchange) : IAsyncDisposable
{
    private const int InFlight = 256;
    private IChannel? _channel;

    public int Published { get; private set; }
    public int Retried { get; private set; }

    public async Task PublishAsync(IReadOnlyList<byte[]> bodies, double perSecond, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        for (var i = 0; i < bodies.Count; i += InFlight)
        {
            var chunk = bodies.Skip(i).Take(InFlight).ToList();
            await PublishChunkAsync(chunk, ct);
            Published += chunk.Count;
            if (perSecond > 0)
            {
                var due = started.AddSeconds(Published / perSecond) - DateTime.UtcNow;
                if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            }
        }
    }

    private async Task PublishChunkAsync(List<byte[]> chunk, CancellationToken ct)
    {
        var pending = chunk;
        while (true)
        {
            try
            {
                _channel ??= await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
                var properties = new BasicProperties { ContentType = "application/json", Persistent = true };
                var sends = pending.Select(body => _channel.BasicPublishAsync(exchange, "", mandatory: false, properties, body, ct).AsTask()).ToList();
                var failed = new List<byte[]>();
                for (var j = 0; j < sends.Count; j++)
                {
                    try { await sends[j]; }
                    catch (Exception) when (!ct.IsCancellationRequested) { failed.Add(pending[j]); }
                }
                if (failed.Count == 0) return;
                Retried += failed.Count;
                pending = failed;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // The channel died with the broker; a recovered connection gives a new one.
            }
            if (_channel is { IsOpen: false }) _channel = null;
            await Task.Delay(500, ct);
        }
    }

    public static byte[] Body(FaultDetected fault) => WireJson.Serialize(fault);

    public async ValueTask DisposeAsync()
    {
        if (_channel is { IsOpen: true }) await _channel.CloseAsync();
    }
}
