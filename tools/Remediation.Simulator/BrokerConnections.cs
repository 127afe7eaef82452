using RabbitMQ.Client;
using Remediation.Contracts;

namespace Remediation.Simulator;

/// <summary>Connections of the CLI's tools (simulated agents, bench publishers), which speak plain AMQP like any agent.</summary>
public static class BrokerConnections
{
    public static ConnectionFactory Factory(string uri, string clientName) => new()
    {
        Uri = new Uri(uri),
        ClientProvidedName = clientName,
        AutomaticRecoveryEnabled = true,
        TopologyRecoveryEnabled = true,
        NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
    };

    /// <summary>
    /// Declares the faults exchange and the service's ingest queue as the service's bus does, so faults published
    /// before the service starts wait in the queue for it.
    /// </summary>
    public static async Task DeclareIngestAsync(IChannel channel, CancellationToken ct)
    {
        await channel.ExchangeDeclareAsync(Exchanges.Faults, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        await channel.QueueDeclareAsync(Exchanges.FaultsIngestQueue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-single-active-consumer"] = true }, cancellationToken: ct);
        await channel.QueueBindAsync(Exchanges.FaultsIngestQueue, Exchanges.Faults, "", cancellationToken: ct);
    }
}
