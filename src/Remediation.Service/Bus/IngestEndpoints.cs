using MassTransit;
using Remediation.Service.Hosting;
using Remediation.Service.Ingest;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// The two ingest endpoints (faults, step results), connected once the bus is up rather than configured with it, so
/// that one MassTransit has given up on can be connected again (<see cref="RestartAsync"/>). Start-up waits until both
/// consume: a fault published once the service is up is never dropped for want of a queue; with the broker away it
/// waits as long as it takes. They start after the partition leases' first pass: a backlog waiting at start-up then
/// goes straight to this instance's loop, not round the broker to the partition queues it was about to take.
/// </summary>
public sealed class IngestEndpoints(
    IReceiveEndpointConnector connector, PartitionLeases leases, PartitionMap map, PartitionEndpoints partitionEndpoints, LoopHandOff loop, WireSender sender,
    InvalidMessages invalid, PipelineOptions pipeline, PartitionOptions partitions, BrokerConnection connection, EndpointStates states, IngestGate gate,
    RemediationMetrics metrics, OwedAcks owed) : IHostedService
{
    private readonly Dictionary<string, HostReceiveEndpointHandle> _handles = [];

    public static readonly IReadOnlyList<string> Queues = [IngestKinds.Faults.Queue, IngestKinds.Results.Queue];

    public async Task StartAsync(CancellationToken ct)
    {
        await leases.FirstPass.WaitAsync(ct);
        await Task.WhenAll(Queues.Select(Connect)).WaitAsync(ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        List<HostReceiveEndpointHandle> handles;
        lock (_handles) handles = [.. _handles.Values];
        await Task.WhenAll(handles.Select(h => h.StopAsync(ct)));
    }

    /// <summary>Drops the endpoint (without waiting on a transport that may never finish) and connects it anew.</summary>
    public async Task RestartAsync(string queue)
    {
        HostReceiveEndpointHandle? old;
        lock (_handles) _handles.Remove(queue, out old);
        // Stopping drops the endpoint from the bus at once (so its name is free again), then waits for a transport that
        // may never finish, which is why it is replaced: that wait is not awaited.
        if (old is not null) _ = old.StopAsync(CancellationToken.None);
        await Connect(queue);
    }

    private Task Connect(string queue)
    {
        var handle = connector.ConnectReceiveEndpoint(queue, (_, endpoint) =>
        {
            var e = (MassTransit.IRabbitMqReceiveEndpointConfigurator)endpoint;
            if (queue == IngestKinds.Faults.Queue) Configure(e, IngestKinds.Faults);
            else Configure(e, IngestKinds.Results);
        });
        states.Connecting(handle.ReceiveEndpoint);
        lock (_handles) _handles[queue] = handle;
        return handle.Ready;
    }

    private void Configure<T>(MassTransit.IRabbitMqReceiveEndpointConfigurator e, IngestKind<T> kind) where T : class
    {
        var consumer = new IngestConsumer<T>(kind, map, partitionEndpoints, loop, sender, invalid, gate, metrics);
        BusEndpoints.ConfigureIngest(e, consumer, kind.Exchange, BadInput.Of<T>(kind.InvalidQueue), invalid, pipeline, partitions, connection, owed);
    }
}
