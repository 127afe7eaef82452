using Remediation.Service.Bus;
using Remediation.Service.Nodes.Deciding;

namespace Remediation.Service.Pipeline;

/// <summary>One input waiting for the decision loop, with what to settle once its decision is committed.</summary>
public sealed record Inbound(NodeInput Input, Delivery? Delivery = null, TaskCompletionSource<Decision>? Reply = null)
{
    /// <summary>When the service took the input in; the pipeline's lag is measured from here.</summary>
    public DateTimeOffset ReceivedAt { get; } = DateTimeOffset.UtcNow;
}
