using MassTransit;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;

namespace Remediation.Service.Bus;

/// <summary>
/// The connection MassTransit holds right now, seen as an endpoint opens its channel on it, for what MassTransit does not
/// offer: reading queue depths, and whether the broker has blocked the connection. MassTransit opens and recovers it;
/// this only looks.
/// </summary>
public sealed class BrokerConnection : IFilter<ChannelContext>
{
    private volatile ConnectionContext? _current;
    private volatile string? _blocked;

    public ConnectionContext? Current => _current is { Connection.IsOpen: true } current ? current : null;

    /// <summary>
    /// Why the broker blocked the connection (a memory or disk alarm: it reads nothing more from a publishing connection
    /// until the alarm clears), or null. Everything waits then, and rightly: it is an outage, not a wedge.
    /// </summary>
    public string? Blocked => _current is null ? null : _blocked;

    public async Task Send(ChannelContext context, IPipe<ChannelContext> next)
    {
        if (!ReferenceEquals(_current, context.ConnectionContext))
        {
            var connection = context.ConnectionContext.Connection;
            // Only the connection in use says whether it is blocked (a late event of a replaced one does not).
            connection.ConnectionBlockedAsync += (_, e) => Set(connection, e.Reason);
            connection.ConnectionUnblockedAsync += (_, _) => Set(connection, null);
            _blocked = null;
            _current = context.ConnectionContext;
        }
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("brokerConnection");

    private Task Set(IConnection connection, string? reason)
    {
        if (ReferenceEquals(connection, _current?.Connection)) _blocked = reason;
        return Task.CompletedTask;
    }
}
