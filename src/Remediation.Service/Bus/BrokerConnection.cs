using MassTransit;
using MassTransit.RabbitMqTransport;

namespace Remediation.Service.Bus;

/// <summary>
/// The connection MassTransit holds right now, seen as an endpoint opens its channel on it, for the one thing MassTransit does
/// not offer: reading queue depths. MassTransit opens and recovers it; this only looks.
/// </summary>
public sealed class BrokerConnection : IFilter<ChannelContext>
{
    private volatile ConnectionContext? _current;

    public ConnectionContext? Current => _current is { Connection.IsOpen: true } current ? current : null;

    public async Task Send(ChannelContext context, IPipe<ChannelContext> next)
    {
        _current = context.ConnectionContext;
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("brokerConnection");
}
