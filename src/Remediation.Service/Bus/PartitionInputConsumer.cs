using MassTransit;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Bus;

/// <summary>What a partition or ingest queue carries, as far as MassTransit needs to know: the body itself is read by the wire parser.</summary>
public sealed record RoutedInput(string? NodeId);

/// <summary>
/// Feeds the decision loop from one partition queue: inputs another instance took in, and reloads. Consume returns,
/// and the message is acknowledged, only once the loop has committed the input's decision. When the partition is
/// handed back before that, the message goes back to its queue for the next holder.
/// </summary>
public sealed class PartitionInputConsumer(LoopHandOff loop, InvalidMessages invalid, CancellationToken handedBack, ILogger logger) : IConsumer<RoutedInput>
{
    private int _givenBack;

    public async Task Consume(ConsumeContext<RoutedInput> context)
    {
        try
        {
            await ConnectionLoss.GuardAsync(context.ReceiveContext, lost => DecideAsync(context, lost));
        }
        catch (OperationCanceledException e) when (handedBack.IsCancellationRequested && e.CancellationToken != context.CancellationToken)
        {
            await GiveBackAsync(context.ReceiveContext);
            throw ConnectionLoss.Redelivered("its partition was handed back", e, context.ReceiveContext);
        }
    }

    private async Task DecideAsync(ConsumeContext<RoutedInput> context, CancellationToken lost)
    {
        var kind = InputKind.Of(context.ReceiveContext);
        var body = context.ReceiveContext.GetBody();
        var queue = BusTopology.InvalidQueueFor(kind);
        using var park = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lost);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(park.Token, handedBack);
        var (input, error) = kind switch
        {
            BusTopology.ReloadInput => context.Message.NodeId is { Length: > 0 } node ? (new ClockTick(node), null) : (null, "a reload names no node"),
            BusTopology.ResultInput => Read(IngestKinds.Results, body),
            _ => Read(IngestKinds.Faults, body),
        };
        var refused = input is null ? error : await loop.DecideAsync(input, reload: kind == BusTopology.ReloadInput, stop.Token);
        if (refused is not null) await invalid.ParkAsync(queue, body, refused, park.Token);
    }

    /// <summary>
    /// A message reaching a consumer whose partition was handed back means its endpoint's transport did not stop
    /// (measured after a broker restart: an endpoint connected anew waited behind its stopped predecessor, which stayed
    /// the queue's single active consumer and had each message requeued to itself 13,090 times in 90 s). Requeueing
    /// cannot end that; closing the channel can: the broker takes back every message the channel holds and makes the
    /// next waiting consumer active. The close runs apart from the consume, which waits (a while at most) until the
    /// client marks the channel closed: MassTransit then writes no nack into it, and a close that hangs holds nothing.
    /// </summary>
    private async Task GiveBackAsync(ReceiveContext context)
    {
        if (!context.TryGetPayload<ChannelContext>(out var channel) || channel.Channel.IsClosed) return;
        if (Interlocked.Exchange(ref _givenBack, 1) == 0)
            logger.LogWarning("Endpoint {Queue} still receives after its partition was handed back: closing its channel so the queue's next consumer takes over",
                TransportHealth.Name(context.InputAddress));
        _ = Task.Run(async () =>
        {
            try
            {
                await channel.Channel.CloseAsync(Constants.ReplySuccess, "partition handed back");
            }
            catch (Exception e)
            {
                logger.LogDebug("Closing a handed-back partition's channel: {Error}", e.Message);
            }
        });
        await ConnectionLoss.UntilGivenBackAsync(context, channel.Channel);
    }

    private static (NodeInput?, string?) Read<T>(IngestKind<T> kind, byte[] body) where T : class =>
        kind.TryRead(body, out var message, out var error) ? (kind.ToInput(message!), null) : (null, error);
}
