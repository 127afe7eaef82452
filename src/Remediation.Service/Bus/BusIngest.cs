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
        await ConsumeAsync<FaultDetected>(BusTopology.FaultsQueue, Exchanges.InvalidFaultsQueue, FaultValidation.Validate, fault =>
        {
            metrics.FaultReceived(fault.Kind);
            return new FaultInput(fault);
        }, ct);
        await ConsumeAsync<StepCompleted>(BusTopology.ResultsQueue, BusTopology.InvalidResultsQueue, FaultValidation.Validate,
            result => new StepResultInput(result), ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        foreach (var channel in _channels) await channel.CloseAsync(ct);
    }

    private async Task ConsumeAsync<T>(
        string queue, string invalidQueue, Func<T, string?> validate, Func<T, NodeInput> toInput, CancellationToken ct) where T : class
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
        consumer.ReceivedAsync += async (_, received) =>
        {
            var delivery = ledger.Received(received.DeliveryTag);
            var token = received.CancellationToken;
            if (!WireParser.TryParse<T>(received.Body, out var message, out var error) || (error = validate(message!)) is not null)
            {
                await invalid.ParkAsync(invalidQueue, received.Body.ToArray(), error!, token);
                await ledger.SettleAsync([delivery], token);
                return;
            }
            await loop.Inbox.WriteAsync(new Inbound(toInput(message!), delivery), token);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, ct);
        _channels.Add(channel);
    }
}
