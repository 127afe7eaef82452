using MassTransit;
using Remediation.Contracts;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>
/// Moves faults or step results from an ingest queue to their node's partition queue, body untouched. Every instance
/// consumes the ingest queues and RabbitMQ lets one of them at a time be the active consumer, so routing fails over by
/// itself. Bad input is parked here with its reason, before it reaches any partition. Consume returns, and the source
/// is acknowledged, only once the broker has confirmed the copy.
/// </summary>
public sealed class RouteConsumer<T>(
    PartitionMap map, WireSender sender, InvalidMessages invalid, string input, string invalidQueue, Func<T, string?> validate, Func<T, string> nodeOf)
    : IConsumer<T> where T : class
{
    private readonly Dictionary<string, string> _headers = new() { [BusTopology.InputHeader] = input };

    public async Task Consume(ConsumeContext<T> context)
    {
        var body = context.ReceiveContext.GetBody();
        if (!WireParser.TryParse<T>(body, out var message, out var error) || (error = validate(message!)) is not null)
        {
            await invalid.ParkAsync(invalidQueue, body, error!, context.CancellationToken);
            return;
        }
        var messageId = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties.MessageId : null;
        await sender.SendAsync(BusTopology.Partition(map.Of(nodeOf(message!))), new WireBytes(body), routingKey: null, _headers, messageId,
            context.CancellationToken);
    }

    /// <summary>Orders a node's inputs: those of one node are routed one after another, in the order they arrived.</summary>
    public static Guid NodeKey(ConsumeContext<T> context, Func<T, string> nodeOf)
    {
        var hash = PartitionMap.Fnv1a(nodeOf(context.Message) ?? "");
        return new Guid((int)hash, 0, 0, new byte[8]);
    }
}
