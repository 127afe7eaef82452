using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>
/// Declares the exchanges and queues of the wire contract and the service's partitions. Idempotent; every start runs it.
/// Faults and step results land in the ingest queues, which one instance at a time (single active consumer) routes by
/// node to the partition queues; each partition queue again has one active consumer, so a node's inputs keep their order.
/// </summary>
public static class BusTopology
{
    public const string FaultsQueue = "remediation.faults.ingest";
    public const string ResultsQueue = "remediation.step-results.ingest";
    public const string InvalidResultsQueue = "remediation.step-results.invalid";

    public static async Task DeclareAsync(IChannel channel, CancellationToken ct) => await DeclareAsync(channel, new PartitionOptions(), ct);

    public static async Task DeclareAsync(IChannel channel, PartitionOptions partitions, CancellationToken ct)
    {
        await channel.ExchangeDeclareAsync(Exchanges.Faults, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(Exchanges.Commands, ExchangeType.Direct, durable: true, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(Exchanges.StepResults, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(PartitionMap.Exchange, ExchangeType.Direct, durable: true, cancellationToken: ct);
        var single = Arguments(partitions.QueueType, singleActiveConsumer: true);
        foreach (var queue in new[] { FaultsQueue, ResultsQueue })
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, single, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(Exchanges.Invalid, ExchangeType.Direct, durable: true, cancellationToken: ct);
        foreach (var queue in new[] { Exchanges.InvalidFaultsQueue, InvalidResultsQueue })
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                Arguments(partitions.QueueType, singleActiveConsumer: false), cancellationToken: ct);
            await channel.QueueBindAsync(queue, Exchanges.Invalid, queue, cancellationToken: ct);
        }
        await channel.QueueBindAsync(FaultsQueue, Exchanges.Faults, "", cancellationToken: ct);
        await channel.QueueBindAsync(ResultsQueue, Exchanges.StepResults, "", cancellationToken: ct);
        for (var p = 0; p < partitions.Count; p++)
        {
            await channel.QueueDeclareAsync(PartitionMap.Queue(p), durable: true, exclusive: false, autoDelete: false, single, cancellationToken: ct);
            await channel.QueueBindAsync(PartitionMap.Queue(p), PartitionMap.Exchange, PartitionMap.RoutingKey(p), cancellationToken: ct);
        }
    }

    private static Dictionary<string, object?> Arguments(string queueType, bool singleActiveConsumer)
    {
        // Classic is RabbitMQ's default; naming it would make queues declared without the argument "inequivalent".
        var arguments = new Dictionary<string, object?>();
        if (queueType != "classic") arguments["x-queue-type"] = queueType;
        if (singleActiveConsumer) arguments["x-single-active-consumer"] = true;
        return arguments;
    }

    public static ConnectionFactory Factory(string uri, string clientName) => new()
    {
        Uri = new Uri(uri),
        ClientProvidedName = clientName,
        AutomaticRecoveryEnabled = true,
        TopologyRecoveryEnabled = true,
        NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
    };
}
