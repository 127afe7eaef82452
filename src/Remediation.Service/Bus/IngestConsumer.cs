using MassTransit;
using Remediation.Service.Hosting;
using Remediation.Service.Ingest;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>
/// Takes faults or step results off an ingest queue, many at once. Every instance consumes the ingest queues and
/// RabbitMQ lets one of them at a time be the active consumer, so ingest fails over by itself. Bad input is parked here
/// with its reason, before it reaches any partition. An input of a partition this instance consumes goes straight to
/// the decision loop and is acknowledged once its decision commits: one pass through the broker, not two. Any other is
/// sent on to its partition's queue, body untouched, and acknowledged once the broker confirms the copy; so is one
/// whose partition is handed back while it waits.
/// </summary>
public sealed class IngestConsumer<T>(
    IngestKind<T> kind, PartitionMap map, PartitionEndpoints partitions, LoopHandOff loop, WireSender sender, InvalidMessages invalid, IngestGate gate,
    RemediationMetrics metrics)
    : IConsumer<RoutedInput> where T : class
{
    private readonly Dictionary<string, string> _headers = new() { [BusTopology.InputHeader] = kind.Input };

    public Task Consume(ConsumeContext<RoutedInput> context) =>
        ConnectionLoss.GuardAsync(context.ReceiveContext, lost => IngestAsync(context.ReceiveContext, context.CancellationToken, lost));

    private async Task IngestAsync(ReceiveContext received, CancellationToken stopping, CancellationToken lost)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, lost);
        var body = received.GetBody();
        var rabbit = received.TryGetPayload<RabbitMqBasicConsumeContext>(out var delivered) ? delivered.Properties : null;
        if (Refusal(body, rabbit?.UserId, out var message) is { } error)
        {
            await invalid.ParkAsync(kind.InvalidQueue, body, error, stop.Token);
            return;
        }
        var partition = map.Of(kind.NodeOf(message!));
        using var span = BusTracing.StartIngest(received);
        var local = partitions.Consumes(partition) && await DecidedHereAsync(message!, body, stop.Token);
        if (!local) await sender.SendAsync(BusTopology.Partition(partition), new WireBytes(body), routingKey: null, _headers, rabbit?.MessageId, stop.Token);
        metrics.Ingest(kind.Input, local);
    }

    /// <summary>False when the partition was handed back before the input committed: its new holder decides it.</summary>
    private async Task<bool> DecidedHereAsync(T message, byte[] body, CancellationToken stop)
    {
        try
        {
            if (await loop.DecideAsync(kind.ToInput(message), reload: false, stop) is { } rejected)
                await invalid.ParkAsync(kind.InvalidQueue, body, rejected, stop);
            return true;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Why the body cannot be used: it does not parse or validate, its sender may not speak for its node, or the node is unknown.</summary>
    private string? Refusal(byte[] body, string? userId, out T? message) =>
        kind.TryRead(body, out message, out var error) ? gate.Refuse(userId, kind.NodeOf(message!)) : error;
}
