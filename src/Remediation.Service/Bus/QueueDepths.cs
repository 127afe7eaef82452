using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Remediation.Contracts;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>
/// What the broker itself says of the service's queues (messages waiting, consumers attached), read with passive
/// declares on a channel of MassTransit's connection that lives for one reading. A queue nobody declared yet (no
/// message was ever parked) reads as empty, with no consumer.
/// </summary>
public sealed class QueueDepths(BrokerConnection broker, PartitionMap map)
{
    private static readonly string[] Named = [BusTopology.FaultsQueue, BusTopology.ResultsQueue, Exchanges.InvalidFaultsQueue, BusTopology.InvalidResultsQueue];

    /// <summary>Each named queue's depth, and the partitions' together under <c>remediation.partition.*</c>; null while disconnected.</summary>
    public async Task<IReadOnlyDictionary<string, uint>?> ReadAsync(CancellationToken ct)
    {
        if (await ReadAsync([.. Named, .. map.All.Select(PartitionMap.Queue)], ct) is not { } read) return null;
        var depths = Named.ToDictionary(q => q, q => read[q].Messages);
        depths["remediation.partition.*"] = (uint)map.All.Sum(p => read[PartitionMap.Queue(p)].Messages);
        return depths;
    }

    /// <summary>Each queue's messages and consumers as the broker counts them; null while disconnected.</summary>
    public async Task<IReadOnlyDictionary<string, (uint Messages, uint Consumers)>?> ReadAsync(IReadOnlyCollection<string> queues, CancellationToken ct)
    {
        if (broker.Current?.Connection is not { } connection) return null;
        var read = new Dictionary<string, (uint, uint)>();
        IChannel? channel = null;
        try
        {
            foreach (var queue in queues) read[queue] = await DeclareAsync(queue);
            return read;
        }
        finally
        {
            if (channel is not null) await channel.DisposeAsync().AsTask().WaitAsync(ct);
        }

        // Each wait is bounded by the token here: RabbitMQ.Client does not honour it everywhere (opening a channel on a
        // connection whose receive loop is stuck waits for good), and the transport's watch asks through this.
        async Task<(uint, uint)> DeclareAsync(string queue)
        {
            channel ??= await connection.CreateChannelAsync(cancellationToken: ct).WaitAsync(ct);
            try
            {
                var ok = await channel.QueueDeclarePassiveAsync(queue, ct).WaitAsync(ct);
                return (ok.MessageCount, ok.ConsumerCount);
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                // The broker closed the channel over the missing queue; the next queue gets a new one.
                await channel.DisposeAsync().AsTask().WaitAsync(ct);
                channel = null;
                return (0, 0);
            }
        }
    }
}
