using MassTransit;

namespace Remediation.Service.Bus;

/// <summary>
/// Sends bytes to a named exchange or queue of the wire contract through MassTransit, which owns the connection, its
/// recovery and the publisher confirms: a send returns once the broker has confirmed the message. Never publishes by
/// message type, so nothing is declared outside the service's <c>remediation.</c> names.
/// </summary>
public sealed class WireSender(IServiceProvider services, BusIdentity identity, TimeProvider clock)
{
    // The bus's own endpoints park bad input through this sender, so the bus is looked up on first use, not built with it.
    private readonly Lazy<IBus> _bus = new(services.GetRequiredService<IBus>);
    private long _failingSince;
    private long _lastFailure;

    /// <summary>A failure this old with nothing tried since says nothing about sends now.</summary>
    private static readonly TimeSpan Recent = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Since when every send has failed or been given up on, while sends are still being tried (none confirmed since,
    /// one failed in the last seconds); null while sends go through or none is tried. Read by
    /// <see cref="TransportHealth"/>: a send can wait on a connection MassTransit gave up on.
    /// </summary>
    public DateTimeOffset? FailingSince
    {
        get
        {
            var since = Interlocked.Read(ref _failingSince);
            var last = Interlocked.Read(ref _lastFailure);
            return since > 0 && clock.GetUtcNow().UtcTicks - last <= Recent.Ticks ? new DateTimeOffset(since, TimeSpan.Zero) : null;
        }
    }

    public async Task SendAsync(Uri address, WireBytes message, string? routingKey, IReadOnlyDictionary<string, string>? headers,
        string? messageId, CancellationToken ct)
    {
        try
        {
            await SendOnceAsync(address, message, routingKey, headers, messageId, ct);
            Interlocked.Exchange(ref _failingSince, 0);
        }
        catch
        {
            var now = clock.GetUtcNow().UtcTicks;
            var previous = Interlocked.Exchange(ref _lastFailure, now);
            // A streak that went quiet (nothing failed for a while) starts again from this failure.
            if (now - previous > Recent.Ticks) Interlocked.Exchange(ref _failingSince, now);
            else Interlocked.CompareExchange(ref _failingSince, now, 0);
            throw;
        }
    }

    private async Task SendOnceAsync(Uri address, WireBytes message, string? routingKey, IReadOnlyDictionary<string, string>? headers,
        string? messageId, CancellationToken ct)
    {
        // MassTransit does not pass the token into every wait of a send (a new channel's one-time topology set-up waits
        // on a channel RPC without it), and a send that outlives its connection then holds its caller for good: in a
        // dump after three broker restarts, 707 ingest consumers waited so, and the connection's shutdown waited on
        // them. So the caller stops waiting when told to; a send abandoned here that still lands is harmless, as the
        // event id or command id makes its copy a duplicate the receiver ignores.
        var endpoint = await _bus.Value.GetSendEndpoint(address).WaitAsync(ct);
        await endpoint.Send(message, context =>
        {
            context.Serializer = new WireBytesSerializer(message.ContentType);
            context.ContentType = context.Serializer.ContentType;
            context.Durable = true;
            // The wire's message id is the contract's (commandId, eventId), not one MassTransit makes up.
            if (messageId is not null) context.MessageId = null;
            foreach (var (key, value) in headers ?? new Dictionary<string, string>()) context.Headers.Set(key, value);
            BusTracing.Inject(context);
            if (!context.TryGetPayload<RabbitMqSendContext>(out var rabbit)) return;
            if (routingKey is not null) rabbit.RoutingKey = routingKey;
            // Who sent a message is proven by the broker: it checks user_id against the connection's user.
            rabbit.BasicProperties.UserId = identity.User;
            if (messageId is not null) rabbit.BasicProperties.MessageId = messageId;
        }, ct).WaitAsync(ct);
    }
}
