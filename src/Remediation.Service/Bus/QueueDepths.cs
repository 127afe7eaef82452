using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Remediation.Contracts;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>
/// Messages waiting in the service's queues, read with passive declares on a channel of MassTransit's connection that
/// lives for one reading. A queue nobody declared yet (no message was ever parked) reads as empty.
/// </summary>
public sealed class QueueDepths(BrokerConnection broker, PartitionMap map)
{
    private static readonly string[] Named = [BusTopology.FaultsQueue, BusTopology.ResultsQueue, Exchanges.InvalidFaultsQueue, BusTopology.InvalidResultsQueue];

    /// <summary>Each named queue's depth, and the partitions' together under <c>remediation.partition.*</c>; null while disconnected.</summary>
    public async Task<IReadOnlyDictionary<string, uint>?> ReadAsync(CancellationToken ct)
    {
        if (broker.Current?.Connection is not { } connection) return null;
        var depths = new Dictionary<string, uint>();
        IChannel? channel = null;
        try
        {
            foreach (var queue in Named) depths[queue] = await DepthAsync(queue);
            uint partitioned = 0;
            foreach (var partition in map.All) partitioned += await DepthAsync(PartitionMap.Queue(partition));
            depths["remediation.partition.*"] = partitioned;
            return depths;
        }
        finally
        {
            if (channel is not null) await channel.DisposeAsync();
        }

        async Task<uint> DepthAsync(string queue)
        {
            channel ??= await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                return (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                // The broker closed the channel over the missing queue; the next queue gets a new one.
                await channel.DisposeAsync();
                channel = null;
                return 0;
            }
        }
    }
}
