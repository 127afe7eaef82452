using MassTransit;
using Remediation.Contracts;
using Remediation.Service.Ingest;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// The two ingest endpoints (faults, step results), connected once the bus is up rather than configured with it, so
/// that one MassTransit has given up on can be connected again (<see cref="RestartAsync"/>). Start-up waits until both
/// consume: a fault published once the service is up is never dropped for want of a queue; with the broker away it
/// waits as long as it takes.
/// </summary>
public sealed class IngestEndpoints(
    IReceiveEndpointConnector connector, PartitionMap map, WireSender sender, InvalidMessages invalid, PipelineOptions pipeline,
    PartitionOptions partitions, BrokerConnection connection, EndpointStates states, IngestGate gate) : IHostedService
{
    private readonly Dictionary<string, HostReceiveEndpointHandle> _handles = [];

    public static readonly IReadOnlyList<string> Queues = [BusTopology.FaultsQueue, BusTopology.ResultsQueue];

    public async Task StartAsync(CancellationToken ct) => await Task.WhenAll(Queues.Select(Connect)).WaitAsync(ct);

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
            if (queue == BusTopology.FaultsQueue)
            {
                var route = new RouteConsumer<FaultDetected>(map, sender, invalid, gate, BusTopology.FaultInput, Exchanges.InvalidFaultsQueue,
                    FaultValidation.Validate, f => f.NodeId);
                BusEndpoints.ConfigureIngest(e, Exchanges.Faults, route, BadInput.Of<FaultDetected>(Exchanges.InvalidFaultsQueue),
                    invalid, pipeline, partitions);
                e.ConfigureChannel(c => c.UseFilter(connection));
            }
            else
            {
                var route = new RouteConsumer<StepCompleted>(map, sender, invalid, gate, BusTopology.ResultInput, BusTopology.InvalidResultsQueue,
                    FaultValidation.Validate, r => r.NodeId);
                BusEndpoints.ConfigureIngest(e, Exchanges.StepResults, route, BadInput.Of<StepCompleted>(BusTopology.InvalidResultsQueue),
                    invalid, pipeline, partitions);
            }
        });
        states.Connecting(handle.ReceiveEndpoint);
        lock (_handles) _handles[queue] = handle;
        return handle.Ready;
    }
}
