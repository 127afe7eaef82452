using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Operators;

/// <summary>
/// Hands an operator's input to the decision loop, the node's only writer, and waits until its decision is
/// committed, so the answer to an HTTP request is the committed outcome and never a guess.
/// </summary>
public sealed class OperatorInbox(DecisionLoop loop, TimeProvider clock)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public async Task<Decision> SubmitAsync(NodeInput input, CancellationToken ct)
    {
        var reply = new TaskCompletionSource<Decision>(TaskCreationOptions.RunContinuationsAsynchronously);
        await loop.Inbox.WriteAsync(new Inbound(input, Reply: reply) { ReceivedAt = clock.GetUtcNow() }, ct);
        return await reply.Task.WaitAsync(Patience, ct);
    }
}
