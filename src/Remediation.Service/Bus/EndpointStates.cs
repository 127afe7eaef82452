using System.Runtime.CompilerServices;
using MassTransit;

namespace Remediation.Service.Bus;

/// <summary>
/// Whether each receive endpoint consumes right now, from its own events: MassTransit's health calls an endpoint
/// connected after the bus started "healthy: starting" until it faults, so an endpoint that never gets its consumer
/// going would look healthy. Here it counts as consuming only between Ready and the next Faulted, Stopping or Completed.
/// Kept per endpoint instance, not per queue: an endpoint connected anew must not inherit its predecessor's last words.
/// </summary>
public sealed class EndpointStates : IReceiveEndpointObserver
{
    private readonly ConditionalWeakTable<IReceiveEndpoint, StrongBox<bool>> _consuming = [];

    /// <summary>False for an endpoint that said it is not consuming; null for one that has said nothing yet.</summary>
    public bool? Consuming(IReceiveEndpoint? endpoint) =>
        endpoint is not null && _consuming.TryGetValue(endpoint, out var consuming) ? consuming.Value : null;

    /// <summary>Just connected: not consuming until it says it is ready (unless it already has).</summary>
    public void Connecting(IReceiveEndpoint endpoint) => _consuming.TryAdd(endpoint, new StrongBox<bool>(false));

    public Task Ready(ReceiveEndpointReady ready) => Set(ready.ReceiveEndpoint, true);

    public Task Stopping(ReceiveEndpointStopping stopping) => Set(stopping.ReceiveEndpoint, false);

    public Task Completed(ReceiveEndpointCompleted completed) => Set(completed.ReceiveEndpoint, false);

    public Task Faulted(ReceiveEndpointFaulted faulted) => Set(faulted.ReceiveEndpoint, false);

    private Task Set(IReceiveEndpoint endpoint, bool consuming)
    {
        _consuming.AddOrUpdate(endpoint, new StrongBox<bool>(consuming));
        return Task.CompletedTask;
    }
}
