using MassTransit;
using Remediation.Contracts;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>
/// Moves faults or step results from an ingest queue to their node's partition queue, body untouched. Every instance
/// consumes the ingest queues and RabbitMQ lets one of them at a time be the active consumer, so routing fails over by
/// itself. Bad input is parked here with its reason, before it reaches any partition. Messages come in batches, one
/// batch at a time, in arrival order: their copies are sent in that order and confirmed together, and the batch is
/// acknowledged only once the broker has confirmed every copy.
/// </summary>
public sealed class RouteConsumer<T>(
    PartitionMap map, WireSender sender, InvalidMessages invalid, string input, string invalidQueue, Func<T, string?> validate, Func<T, string> nodeOf)
    : IConsumer<Batch<T>> where T : class
{
    private readonly Dictionary<string, string> _headers = new() { [BusTopology.InputHeader] = input };

    public async Task Consume(ConsumeContext<Batch<T>> context)
    {
        var copies = new List<Task>(context.Message.Length);
        foreach (var item in context.Message)
        {
            var body = item.ReceiveContext.GetBody();
            if (!WireParser.TryParse<T>(body, out var message, out var error) || (error = validate(message!)) is not null)
            {
                await invalid.ParkAsync(invalidQueue, body, error!, context.CancellationToken);
                continue;
            }
            var messageId = item.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties.MessageId : null;
            copies.Add(sender.SendAsync(BusTopology.Partition(map.Of(nodeOf(message!))), new WireBytes(body), routingKey: null, _headers, messageId,
                context.CancellationToken));
        }
        await Task.WhenAll(copies);
    }
}
