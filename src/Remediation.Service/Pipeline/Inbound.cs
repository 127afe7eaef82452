using System.Diagnostics;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Pipeline;

/// <summary>
/// One input waiting for the decision loop, with what to settle once its decision is committed. <paramref name="Reload"/>
/// says the node was written elsewhere: the loop reads it from the store, not from its cache.
/// </summary>
public sealed record Inbound(NodeInput Input, Delivery? Delivery = null, TaskCompletionSource<Decision>? Reply = null, bool Reload = false)
{
    /// <summary>
    /// When the service took the input in, on the service's clock (its <see cref="TimeProvider"/>, which the lag is
    /// read against); the pipeline's lag is measured from here.
    /// </summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The trace the input came in on (its message's consume span, an operator's request), if any.</summary>
    public ActivityContext Trace { get; init; } = Activity.Current?.Context ?? default;
}
