using MassTransit;
using Remediation.Contracts;
using Remediation.Service.Hosting;
using Remediation.Service.Ingest;
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
    PartitionMap map, WireSender sender, InvalidMessages invalid, IngestGate gate, string input, string invalidQueue, Func<T, string?> validate, Func<T, string> nodeOf)
    : IConsumer<Batch<T>> where T : class
{
    private readonly Dictionary<string, string> _headers = new() { [BusTopology.InputHeader] = input };

    public Task Consume(ConsumeContext<Batch<T>> context) =>
        ConnectionLoss.GuardAsync(context.Message[0].ReceiveContext, lost => RouteAsync(context, lost));

    private async Task RouteAsync(ConsumeContext<Batch<T>> context, CancellationToken lost)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lost);
        var copies = new List<Task>(context.Message.Length);
        foreach (var item in context.Message)
        {
            var body = item.ReceiveContext.GetBody();
            var rabbit = item.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var delivered) ? delivered.Properties : null;
            if (Refusal(body, rabbit?.UserId, out var message) is { } error)
            {
                await invalid.ParkAsync(invalidQueue, body, error, stop.Token);
                continue;
            }
            var messageId = rabbit?.MessageId;
            copies.Add(BusTracing.RouteAsync(item.ReceiveContext, () => sender.SendAsync(BusTopology.Partition(map.Of(nodeOf(message!))),
                new WireBytes(body), routingKey: null, _headers, messageId, stop.Token)));
        }
        await Task.WhenAll(copies);
    }

    /// <summary>Why the body cannot be routed: it does not parse or validate, its sender may not speak for its node, or the node is unknown.</summary>
    private string? Refusal(byte[] body, string? userId, out T? message)
    {
        if (!WireParser.TryParse(body, out message, out var error) || (error = validate(message!)) is not null) return error;
        return gate.Refuse(userId, nodeOf(message!));
    }
}
