using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Contracts;
using Remediation.Service.Hosting;
using Remediation.Service.Nodes.Deciding;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// Reads faults and step results off RabbitMQ into the decision loop. Parsing happens here, on the consumer
/// thread, so bad input is parked with its reason before it can reach a node, and the loop sees only valid inputs.
/// </summary>
public sealed class BusIngest(
    BusConnection bus, DecisionLoop loop, InvalidMessages invalid, PipelineOptions options, RemediationMetrics metrics)
    : IHostedService
{
    private readonly List<IChannel> _channels = [];

    public async Task StartAsync(CancellationToken ct)
    {
        await ConsumeAsync(BusTopology.FaultsQueue, OnFaultAsync, ct);
        await ConsumeAsync(BusTopology.ResultsQueue, OnResultAsync, ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        foreach (var channel in _channels) await channel.CloseAsync(ct);
    }

    private async Task ConsumeAsync(string queue, Func<ReadOnlyMemory<byte>, AckLedger, ulong, CancellationToken, Task> handle, CancellationToken ct)
    {
        var channel = await bus.Connection.CreateChannelAsync(cancellationToken: ct);
        await channel.BasicQosAsync(0, options.Prefetch, global: false, ct);
        var ledger = new AckLedger(channel);
        channel.ChannelShutdownAsync += (_, _) =>
        {
            ledger.Reset();
            return Task.CompletedTask;
        };
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => handle(delivery.Body, ledger, delivery.DeliveryTag, delivery.CancellationToken);
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, ct);
        _channels.Add(channel);
    }

    private async Task OnFaultAsync(ReadOnlyMemory<byte> body, AckLedger ledger, ulong tag, CancellationToken ct)
    {
        var delivery = ledger.Received(tag);
        if (!WireParser.TryParse<FaultDetected>(body, out var fault, out var error) || (error = FaultValidation.Validate(fault!)) is not null)
        {
            await invalid.ParkAsync(Exchanges.InvalidFaultsQueue, body.ToArray(), error!, ct);
            await ledger.SettleAsync([delivery], ct);
            return;
        }
        metrics.FaultReceived(fault!.Kind);
        await loop.Inbox.WriteAsync(new Inbound(new FaultInput(fault), delivery), ct);
    }

    private async Task OnResultAsync(ReadOnlyMemory<byte> body, AckLedger ledger, ulong tag, CancellationToken ct)
    {
        var delivery = ledger.Received(tag);
        if (!WireParser.TryParse<StepCompleted>(body, out var result, out var error) || (error = FaultValidation.Validate(result!)) is not null)
        {
            await invalid.ParkAsync(BusTopology.InvalidResultsQueue, body.ToArray(), error!, ct);
            await ledger.SettleAsync([delivery], ct);
            return;
        }
        await loop.Inbox.WriteAsync(new Inbound(new StepResultInput(result!), delivery), ct);
    }
}
