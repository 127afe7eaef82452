using Remediation.Service.Hosting;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// Gives one consumed message's input to the decision loop and waits for what became of it, so the consumer returns,
/// and the message is acknowledged, only once the input's decision is committed (a coalesced repeat: once its counted
/// event is, seconds later).
/// </summary>
public sealed class LoopHandOff(DecisionLoop loop, RemediationMetrics metrics, TimeProvider clock)
{
    /// <summary>
    /// Null once committed, else why the loop rejected the input (park it). Throws <see cref="OperationCanceledException"/>
    /// when the input was handed back, or <paramref name="stop"/> fired, before its commit.
    /// </summary>
    public async Task<string?> DecideAsync(NodeInput input, bool reload, CancellationToken stop)
    {
        if (input is FaultInput fault) metrics.FaultReceived(fault.Fault.Kind);
        var delivery = new Delivery();
        await loop.Inbox.WriteAsync(new Inbound(input, delivery, Reload: reload) { ReceivedAt = clock.GetUtcNow() }, stop);
        try
        {
            await delivery.Settled.WaitAsync(stop);
            return null;
        }
        catch (RejectedInputException e)
        {
            return e.Message;
        }
    }
}
