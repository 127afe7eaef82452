using MassTransit;
using Remediation.Contracts;
using Remediation.Service.Hosting;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>What a partition queue carries, as far as MassTransit needs to know: the body itself is read by the wire parser.</summary>
public sealed record RoutedInput(string? NodeId);

/// <summary>
/// Feeds the decision loop from one partition queue. Consume returns, and the message is acknowledged, only once the
/// loop has committed the input's decision; a coalesced repeat waits for its counted event, seconds later. When the
/// partition is handed back before that, the message goes back to its queue for the next holder.
/// </summary>
public sealed class PartitionInputConsumer(DecisionLoop loop, InvalidMessages invalid, RemediationMetrics metrics, CancellationToken handedBack)
    : IConsumer<RoutedInput>
{
    public Task Consume(ConsumeContext<RoutedInput> context) => ConnectionLoss.GuardAsync(context.ReceiveContext, lost => DecideAsync(context, lost));

    private async Task DecideAsync(ConsumeContext<RoutedInput> context, CancellationToken lost)
    {
        var kind = InputKind.Of(context.ReceiveContext);
        var body = context.ReceiveContext.GetBody();
        var queue = BusTopology.InvalidQueueFor(kind);
        using var park = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lost);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(park.Token, handedBack);
        var delivery = new Delivery();
        if (kind == BusTopology.ReloadInput)
        {
            if (context.Message.NodeId is not { Length: > 0 } node)
            {
                await invalid.ParkAsync(queue, body, "a reload names no node", park.Token);
                return;
            }
            await loop.Inbox.WriteAsync(new Inbound(new ClockTick(node), delivery, Reload: true), stop.Token);
        }
        else
        {
            var (input, error) = kind == BusTopology.ResultInput ? Result(body) : Fault(body);
            if (input is null)
            {
                await invalid.ParkAsync(queue, body, error!, park.Token);
                return;
            }
            await loop.Inbox.WriteAsync(new Inbound(input, delivery), stop.Token);
        }
        try
        {
            await delivery.Settled.WaitAsync(stop.Token);
        }
        catch (RejectedInputException e)
        {
            await invalid.ParkAsync(queue, body, e.Message, park.Token);
        }
    }

    private (NodeInput?, string?) Fault(byte[] body)
    {
        if (!WireParser.TryParse<FaultDetected>(body, out var fault, out var error) || (error = FaultValidation.Validate(fault!)) is not null)
            return (null, error);
        metrics.FaultReceived(fault!.Kind);
        return (new FaultInput(fault), null);
    }

    private static (NodeInput?, string?) Result(byte[] body) =>
        !WireParser.TryParse<StepCompleted>(body, out var result, out var error) || (error = FaultValidation.Validate(result!)) is not null
            ? (null, error)
            : (new StepResultInput(result!), null);
}
