using MassTransit;
using RabbitMQ.Client;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// How the service's receive endpoints are set up. None takes MassTransit's topology by message type (that would
/// declare <c>Namespace:Type</c> exchanges, outside the service's broker permissions): each binds the contract's fixed
/// exchanges explicitly, and bad input is parked in the contract's invalid queues, not in <c>_error</c> queues.
/// </summary>
internal static class BusEndpoints
{
    /// <summary>
    /// An ingest input decided here waits in Consume until its commit (a coalesced repeat up to
    /// <c>Pipeline:CoalesceFlush</c>), so as many are in flight as are prefetched: the prefetch bounds the service's memory.
    /// None holds a dispatch loop meanwhile (<see cref="ReleasedDispatch"/>), so one loop delivers them all, in order.
    /// </summary>
    public static void ConfigureIngest<T>(IRabbitMqReceiveEndpointConfigurator e, IngestConsumer<T> consumer, string exchange,
        BadInput bad, InvalidMessages invalid, PipelineOptions pipeline, PartitionOptions partitions, BrokerConnection connection, OwedAcks owed) where T : class
    {
        Common(e, bad, invalid, partitions, connection, owed, pipeline.Prefetch);
        e.Bind(exchange, b => b.ExchangeType = ExchangeType.Fanout);
        e.ConcurrentMessageLimit = 1;
        e.Instance(consumer);
    }

    /// <summary>
    /// A partition's inputs wait in Consume until their commit (a coalesced repeat up to <c>Pipeline:CoalesceFlush</c>),
    /// so as many are in flight as are prefetched.
    /// </summary>
    public static void ConfigurePartition(IReceiveEndpointConfigurator endpoint, PartitionInputConsumer consumer, InvalidMessages invalid,
        PipelineOptions pipeline, PartitionOptions partitions, BrokerConnection connection, OwedAcks owed)
    {
        var e = (IRabbitMqReceiveEndpointConfigurator)endpoint;
        // The prefetch is shared among the partitions rather than taken by each: it bounds what is held in memory.
        Common(e, BadInput.Routed, invalid, partitions, connection, owed, Math.Max(64, pipeline.Prefetch / partitions.Count));
        e.ConcurrentMessageLimit = 1;
        e.Instance(consumer);
    }

    private static void Common(IRabbitMqReceiveEndpointConfigurator e, BadInput bad, InvalidMessages invalid, PartitionOptions partitions,
        BrokerConnection connection, OwedAcks owed, int prefetch)
    {
        e.PrefetchCount = prefetch;
        // The connection, seen as the endpoint opens its channel, is how queue depths are read and endpoints judged.
        e.ConfigureChannel(c =>
        {
            c.UseFilter(connection);
            c.UseFilter(new ReleasedDispatch(owed, prefetch));
        });
        e.ConfigureConsumeTopology = false;
        e.PublishFaults = false;
        e.SingleActiveConsumer = true;
        if (partitions.QueueType == "quorum") e.SetQuorumQueue();
        e.ConfigureError(x => x.UseFilter(new ParkFaultedInput(invalid, bad)));
        e.ConfigureDeadLetter(x => x.UseFilter(new ParkSkippedInput(invalid, bad)));
    }
}
