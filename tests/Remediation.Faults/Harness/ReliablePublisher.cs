using Remediation.Contracts;
using RabbitMQ.Client;

namespace Remediation.Faults.Harness;

/// <summary>
/// Publishes with publisher confirms and keeps retrying a message until the broker confirms it, the way the agent's
/// spool does across a broker outage. It uses its own connection without automatic recovery and opens a new one
/// after any failure: a confirm lost in a broker restart is never answered on a recovered channel. A retry after a
/// lost confirm may publish a message twice; the eventId is the idempotency key, so that is part of the test.
/// </summary>
public sealed class ReliablePublisher(Uri vhost, string exchange) : IAsyncDisposable
{
    private const int InFlight = 256;
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public int Published { get; private set; }
    public int Retried { get; private set; }

    public async Task PublishAsync(IReadOnlyList<byte[]> bodies, double perSecond, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        for (var i = 0; i < bodies.Count; i += InFlight)
        {
            var chunk = bodies.Skip(i).Take(InFlight).ToList();
            await SendAsync(chunk, ct);
            Published += chunk.Count;
            if (perSecond > 0)
            {
                var due = started.AddSeconds(Published / perSecond) - DateTime.UtcNow;
                if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            }
        }
    }

    /// <summary>Sends until every body is confirmed; safe to call from several tasks.</summary>
    public async Task SendAsync(IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var pending = bodies;
            while (pending.Count > 0)
            {
                pending = await TryAsync(pending, ct);
                if (pending.Count == 0) return;
                Retried += pending.Count;
                await DropAsync();
                await Task.Delay(500, ct);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<byte[]>> TryAsync(IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        try
        {
            _connection ??= await new ConnectionFactory { Uri = vhost, AutomaticRecoveryEnabled = false }.CreateConnectionAsync(ct);
            _channel ??= await _connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
            var properties = new BasicProperties { ContentType = "application/json", Persistent = true, UserId = BrokerUser.Of(vhost) };
            var sends = bodies.Select(body => _channel.BasicPublishAsync(exchange, "", mandatory: false, properties, body, ct).AsTask()).ToList();
            // One deadline for the whole chunk: after a broker restart every send of it can hang, and waiting out the
            // timeout one send after another would stall the run for the chunk's size times the timeout.
            try
            {
                await Task.WhenAll(sends).WaitAsync(ConfirmTimeout, ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // the sends that did not complete are sent again
            }
            return bodies.Where((_, j) => !sends[j].IsCompletedSuccessfully).ToList();
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return bodies;
        }
    }

    private async Task DropAsync()
    {
        var connection = _connection;
        _connection = null;
        _channel = null;
        if (connection is not null) await Closing.QuietlyAsync(() => connection.DisposeAsync().AsTask());
    }

    public async ValueTask DisposeAsync() => await DropAsync();
}
