using MassTransit;
using Remediation.Service.Hosting;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// The partition queues this instance holds, each a MassTransit receive endpoint connected when the partition is taken
/// and stopped when it is handed back, so a partition can move on its own. MassTransit keeps each endpoint consuming
/// across connection losses; what it cannot is reported by <see cref="TransportHealth"/>.
/// </summary>
public sealed class PartitionEndpoints(
    IReceiveEndpointConnector connector, LoopHandOff loop, InvalidMessages invalid, PipelineOptions pipeline, PartitionOptions partitions,
    BrokerConnection connection, EndpointStates states, OwedAcks owed, ILogger<PartitionEndpoints> logger) : IPartitionQueues
{
    private readonly Dictionary<int, (HostReceiveEndpointHandle Handle, CancellationTokenSource HandBack)> _held = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The partitions with a connected endpoint, for health: held ones missing here are not being consumed.</summary>
    public IReadOnlyCollection<int> Connected
    {
        get
        {
            lock (_held) return _held.Keys.ToList();
        }
    }

    /// <summary>
    /// Whether this instance consumes the partition: its endpoint is connected once the loop has taken the partition's
    /// nodes, and dropped before the loop lets go of them.
    /// </summary>
    public bool Consumes(int partition)
    {
        lock (_held) return _held.ContainsKey(partition);
    }

    /// <summary>The input address of a partition's endpoint, as MassTransit's health names it.</summary>
    public static string EndpointName(int partition) => PartitionMap.Queue(partition);

    /// <summary>Connects an endpoint for each partition not consuming yet; they come up together.</summary>
    public async Task StartAsync(IEnumerable<int> starting, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var ready = new List<Task>();
            foreach (var partition in starting)
            {
                lock (_held)
                    if (_held.ContainsKey(partition)) continue;
                var handBack = new CancellationTokenSource();
                var consumer = new PartitionInputConsumer(loop, invalid, handBack.Token, logger);
                var handle = connector.ConnectReceiveEndpoint(PartitionMap.Queue(partition), (_, e) =>
                    BusEndpoints.ConfigurePartition(e, consumer, invalid, pipeline, partitions, connection, owed));
                states.Connecting(handle.ReceiveEndpoint);
                lock (_held) _held[partition] = (handle, handBack);
                ready.Add(handle.Ready);
            }
            // With the broker away the endpoints keep connecting by themselves; health names them until they are ready.
            await Task.WhenAny(Task.WhenAll(ready), Task.Delay(TimeSpan.FromSeconds(10), ct));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Drops a partition's endpoint that MassTransit gave up on (without waiting on a transport that may never finish)
    /// and connects it anew; its unacknowledged messages went back to the queue with the connection that carried them.
    /// </summary>
    public async Task RestartAsync(int partition, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        (HostReceiveEndpointHandle Handle, CancellationTokenSource HandBack) old;
        try
        {
            lock (_held)
                if (!_held.Remove(partition, out old)) return;
        }
        finally
        {
            _gate.Release();
        }
        // Stopping drops the endpoint from the bus at once (so its name is free again), then waits for a transport that
        // may never finish, which is why it is replaced: that wait is not awaited. Should that transport go on consuming,
        // its consumer, handed back below, closes its channel at the first message, and the queue passes to the new one.
        _ = old.Handle.StopAsync(CancellationToken.None);
        _ = Task.Run(() => old.HandBack.CancelAsync(), CancellationToken.None);
        await StartAsync([partition], ct);
    }

    /// <summary>
    /// Stops consuming the partitions. Gracefully, it first lets what was taken in commit (within the grace), then
    /// hands back what still waits; the broker gives those messages to the next holder, in order.
    /// </summary>
    public async Task StopAsync(IReadOnlyCollection<int> stopping, bool graceful, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            List<(int Partition, HostReceiveEndpointHandle Handle, CancellationTokenSource HandBack)> held;
            lock (_held)
            {
                held = stopping.Where(_held.ContainsKey).Select(p => (p, _held[p].Handle, _held[p].HandBack)).ToList();
                foreach (var (partition, _, _) in held) _held.Remove(partition);
            }
            if (!graceful)
                foreach (var (_, _, handBack) in held) await handBack.CancelAsync();
            var stops = held.Select(h => (h.Partition, h.HandBack, Stop: h.Handle.StopAsync(CancellationToken.None))).ToList();
            var all = Task.WhenAll(stops.Select(s => s.Stop));
            if (graceful && await Task.WhenAny(all, Task.Delay(partitions.HandOverGrace, ct)) != all)
            {
                logger.LogWarning("Partitions {Partitions} handed back with inputs uncommitted after {Grace}; they go back to their queues",
                    string.Join(",", stops.Where(s => !s.Stop.IsCompleted).Select(s => s.Partition)), partitions.HandOverGrace);
                foreach (var (_, handBack, _) in stops) await handBack.CancelAsync();
            }
            foreach (var (_, handBack, stop) in stops)
            {
                await stop;
                handBack.Dispose();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
