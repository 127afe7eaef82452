using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Contracts;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;
using Remediation.Service.Ingest;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Partitions;

/// <summary>
/// Moves faults and step results from the ingest queues to their node's partition queue. Every instance consumes the
/// ingest queues and RabbitMQ lets one of them at a time be the active consumer, so routing keeps arrival order and
/// fails over by itself. Bad input is parked here with its reason, before it reaches any partition. A source message
/// is acknowledged only once the broker has confirmed its copy in the partition queue.
/// </summary>
public sealed class PartitionRouter(BusConnection bus, PartitionMap map, InvalidMessages invalid, SenderCheck senders, Inventory inventory, PipelineOptions options,
    RemediationMetrics metrics, ILogger<PartitionRouter> logger) : IHostedService
{
    public const string InputHeader = "remediation-input";
    public const string FaultInput = "fault";
    public const string ResultInput = "result";

    /// <summary>Not routed: sent straight to a partition by an instance that wrote for a node it does not hold.</summary>
    public const string ReloadInput = "reload";

    private readonly List<IChannel> _channels = [];
    private readonly ChannelWatch _watch = new(TimeSpan.FromSeconds(3));
    private readonly CancellationTokenSource _stopping = new();
    private Task _watching = Task.CompletedTask;
    private bool _reopening;

    public async Task StartAsync(CancellationToken ct)
    {
        await OpenRoutesAsync(ct);
        _watching = WatchAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        await _watching;
        foreach (var channel in _channels) await channel.CloseAsync(ct);
    }

    private async Task OpenRoutesAsync(CancellationToken ct)
    {
        await RouteAsync<FaultDetected>(BusTopology.FaultsQueue, Exchanges.InvalidFaultsQueue, FaultInput, FaultValidation.Validate, f => f.NodeId, ct);
        await RouteAsync<StepCompleted>(BusTopology.ResultsQueue, BusTopology.InvalidResultsQueue, ResultInput, FaultValidation.Validate, r => r.NodeId, ct);
    }

    /// <summary>Routes again on new channels when recovery left one behind; what the old ones held is redelivered.</summary>
    private async Task WatchAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                if (!_reopening && _channels.Where(c => _watch.Lost(bus.RoutingConnection, c)).ToList().Count == 0) continue;
                logger.LogWarning("A routing channel did not come back with the connection; routing on new channels");
                _reopening = true;
                foreach (var channel in _channels) await bus.ReleaseAsync(channel);
                _channels.Clear();
                await OpenRoutesAsync(ct);
                _reopening = false;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Reopening the routes failed ({Error}); trying again", e.Message);
            }
        }
    }

    private async Task RouteAsync<T>(string queue, string invalidQueue, string input, Func<T, string?> validate, Func<T, string> nodeOf,
        CancellationToken ct) where T : class
    {
        var source = await bus.RoutingConnection.CreateChannelAsync(cancellationToken: ct);
        await source.BasicQosAsync(0, options.Prefetch, global: false, ct);
        var target = await bus.RoutingConnection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false), ct);
        var ledger = new AckLedger(source);
        var confirms = new ConfirmTracker(ledger);
        // Unconfirmed copies are lost with either channel; their sources are redelivered once the connection is back.
        source.ChannelShutdownAsync += (_, _) =>
        {
            confirms.Reset();
            return Task.CompletedTask;
        };
        target.ChannelShutdownAsync += (_, _) =>
        {
            confirms.Reset();
            return Task.CompletedTask;
        };
        target.BasicAcksAsync += (_, e) => confirms.ConfirmedAsync(e.DeliveryTag, e.Multiple, CancellationToken.None);
        target.BasicNacksAsync += (_, e) => confirms.RefusedAsync(e.DeliveryTag, e.Multiple, CancellationToken.None);

        var consumer = new AsyncEventingBasicConsumer(source);
        consumer.ReceivedAsync += async (_, received) =>
        {
            var delivery = ledger.Received(received.DeliveryTag);
            var token = received.CancellationToken;
            var refused = !WireParser.TryParse<T>(received.Body, out var message, out var error) || (error = validate(message!)) is not null;
            if (!refused && senders.Refuse(received.BasicProperties.UserId, nodeOf(message!)) is { } spoof)
            {
                (refused, error) = (true, spoof);
                metrics.SenderRefused();
            }
            else if (!refused && inventory.Refuse(nodeOf(message!)) is { } unknown) (refused, error) = (true, unknown);
            if (refused)
            {
                await invalid.ParkAsync(invalidQueue, received.Body.ToArray(), error!, token);
                await ledger.SettleAsync([delivery], token);
                return;
            }
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                MessageId = received.BasicProperties.MessageId,
                Headers = new Dictionary<string, object?> { [InputHeader] = input },
            };
            var partition = map.Of(nodeOf(message!));
            var sequence = await target.GetNextPublishSequenceNumberAsync(token);
            confirms.Expect(sequence, delivery);
            await target.BasicPublishAsync(PartitionMap.Exchange, PartitionMap.RoutingKey(partition), mandatory: false, properties, received.Body, token);
        };
        await source.BasicConsumeAsync(queue, autoAck: false, consumer, ct);
        _channels.Add(source);
        _channels.Add(target);
        logger.LogDebug("Routing {Queue} to {Count} partitions", queue, map.Count);
    }
}
