using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Contracts;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;
using Remediation.Service.Nodes.Deciding;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Partitions;

/// <summary>
/// Feeds the decision loop from the partition queues this instance holds, one channel per partition so a partition
/// can be handed back on its own. The router already parked bad input; what still fails here is parked the same way.
/// </summary>
public sealed class PartitionConsumers(
    BusConnection bus, DecisionLoop loop, InvalidMessages invalid, PipelineOptions options, PartitionOptions partitions,
    RemediationMetrics metrics, ILogger<PartitionConsumers> logger) : IAsyncDisposable
{
    private readonly Dictionary<int, (IChannel Channel, AckLedger Ledger, string Tag)> _held = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ChannelWatch _watch = new(TimeSpan.FromSeconds(3));

    public async Task StartAsync(int partition, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_held.ContainsKey(partition)) return;
            var channel = await bus.Connection.CreateChannelAsync(cancellationToken: ct);
            await channel.BasicQosAsync(0, options.Prefetch, global: false, ct);
            var ledger = new AckLedger(channel);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, received) => ReceiveAsync(ledger, received);
            var tag = await channel.BasicConsumeAsync(PartitionMap.Queue(partition), autoAck: false, consumer, ct);
            _held[partition] = (channel, ledger, tag);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stops taking from the partitions. Gracefully, it first waits (within the grace) for what was taken in to be
    /// committed and acknowledged; then it closes the channels: anything still unacknowledged goes back to its queue,
    /// in order, for the next holder.
    /// </summary>
    public async Task StopAsync(IReadOnlyCollection<int> stopping, bool graceful, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var held = stopping.Where(_held.ContainsKey).Select(p => (Partition: p, Held: _held[p])).ToList();
            foreach (var (partition, _) in held) _held.Remove(partition);
            if (graceful)
            {
                foreach (var (_, (channel, _, tag)) in held)
                    if (channel.IsOpen) await channel.BasicCancelAsync(tag, cancellationToken: ct);
                var until = DateTimeOffset.UtcNow + partitions.HandOverGrace;
                while (held.Any(h => h.Held.Ledger.Outstanding > 0 && h.Held.Channel.IsOpen) && DateTimeOffset.UtcNow < until)
                    await Task.Delay(20, ct);
            }
            foreach (var (partition, (channel, ledger, _)) in held)
            {
                if (graceful && ledger.Outstanding > 0)
                    logger.LogWarning("Partition {Partition} handed back with {Count} inputs uncommitted; they go back to its queue", partition, ledger.Outstanding);
                await bus.ReleaseAsync(channel);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Opens a new consumer for every held partition whose channel recovery left behind.</summary>
    public async Task ReviveAsync(CancellationToken ct)
    {
        List<int> lost;
        await _gate.WaitAsync(ct);
        try
        {
            lost = _held.Where(h => _watch.Lost(bus.Connection, h.Value.Channel)).Select(h => h.Key).ToList();
        }
        finally
        {
            _gate.Release();
        }
        if (lost.Count == 0) return;
        logger.LogWarning("The channels of partitions {Partitions} did not come back with the connection; opening new ones", string.Join(",", lost));
        await StopAsync(lost, graceful: false, ct);
        foreach (var partition in lost) await StartAsync(partition, ct);
    }

    private async Task ReceiveAsync(AckLedger ledger, BasicDeliverEventArgs received)
    {
        var delivery = ledger.Received(received.DeliveryTag);
        var token = received.CancellationToken;
        var kind = received.BasicProperties.Headers is { } headers && headers.TryGetValue(PartitionRouter.InputHeader, out var value) && value is byte[] raw
            ? Encoding.UTF8.GetString(raw)
            : null;
        if (kind == PartitionRouter.ReloadInput)
        {
            await loop.Inbox.WriteAsync(new Inbound(new ClockTick(Encoding.UTF8.GetString(received.Body.Span)), delivery, Reload: true), token);
            return;
        }
        var (input, invalidQueue, error) = kind == PartitionRouter.ResultInput ? Result(received.Body) : Fault(received.Body);
        if (input is null)
        {
            await invalid.ParkAsync(invalidQueue, received.Body.ToArray(), error!, token);
            await ledger.SettleAsync([delivery], token);
            return;
        }
        await loop.Inbox.WriteAsync(new Inbound(input, delivery), token);
    }

    private (NodeInput?, string, string?) Fault(ReadOnlyMemory<byte> body)
    {
        if (!WireParser.TryParse<FaultDetected>(body, out var fault, out var error) || (error = FaultValidation.Validate(fault!)) is not null)
            return (null, Exchanges.InvalidFaultsQueue, error);
        metrics.FaultReceived(fault!.Kind);
        return (new FaultInput(fault), Exchanges.InvalidFaultsQueue, null);
    }

    private static (NodeInput?, string, string?) Result(ReadOnlyMemory<byte> body) =>
        !WireParser.TryParse<StepCompleted>(body, out var result, out var error) || (error = FaultValidation.Validate(result!)) is not null
            ? (null, BusTopology.InvalidResultsQueue, error)
            : (new StepResultInput(result!), BusTopology.InvalidResultsQueue, null);

    public async ValueTask DisposeAsync()
    {
        foreach (var (channel, _, _) in _held.Values) await channel.DisposeAsync();
        _held.Clear();
    }
}
