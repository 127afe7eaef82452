using MassTransit;
using MassTransit.RabbitMqTransport;

namespace Remediation.Service.Bus;

/// <summary>
/// The connection MassTransit holds right now, seen as its endpoints pass over it, for the one thing MassTransit does
/// not offer: reading queue depths. MassTransit opens and recovers it; this only looks.
/// </summary>
public sealed class BrokerConnection : IFilter<ConnectionContext>
{
    private volatile ConnectionContext? _current;

    public ConnectionContext? Current => _current is { Connection.IsOpen: true } current ? current : null;

    public async Task Send(ConnectionContext context, IPipe<ConnectionContext> next)
    {
        _current = context;
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("brokerConnection");
}
