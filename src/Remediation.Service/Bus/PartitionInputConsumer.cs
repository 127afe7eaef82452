using MassTransit;
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
public sealed class PartitionInputConsumer(LoopHandOff loop, InvalidMessages invalid, CancellationToken handedBack) : IConsumer<RoutedInput>
{
    public Task Consume(ConsumeContext<RoutedInput> context) => ConnectionLoss.GuardAsync(context.ReceiveContext, lost => DecideAsync(context, lost));

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

    private static (NodeInput?, string?) Read<T>(IngestKind<T> kind, byte[] body) where T : class =>
        kind.TryRead(body, out var message, out var error) ? (kind.ToInput(message!), null) : (null, error);
}
