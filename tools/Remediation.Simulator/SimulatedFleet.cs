using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Contracts;

namespace Remediation.Simulator;

/// <summary>
/// Fake node agents: each node gets its command queue, answers every step after a short delay with the outcome
/// the script decides, and returns the first result again for a repeated commandId, as a real agent must. Steps
/// <paramref name="answers"/> turns down are taken and never answered, as by a node that hangs in them.
/// </summary>
public sealed class SimulatedFleet(
    IConnection connection, string userId, IReadOnlyList<string> nodes, Func<StepRequested, bool> succeeds, TimeSpan latency,
    Func<StepRequested, bool>? answers = null)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, StepCompleted> _done = new();
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private IChannel? _channel;

    public int StepsRun => _done.Count;

    public static string QueueOf(string nodeId) => $"remediation.agent.{nodeId}";

    public async Task StartAsync(CancellationToken ct)
    {
        _channel = await connection.CreateChannelAsync(new CreateChannelOptions(false, false, consumerDispatchConcurrency: 16), ct);
        await _channel.ExchangeDeclareAsync(Exchanges.Commands, ExchangeType.Direct, durable: true, cancellationToken: ct);
        await _channel.ExchangeDeclareAsync(Exchanges.StepResults, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += OnCommandAsync;
        foreach (var node in nodes)
        {
            await _channel.QueueDeclareAsync(QueueOf(node), durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
            await _channel.QueueBindAsync(QueueOf(node), Exchanges.Commands, node, cancellationToken: ct);
            await _channel.BasicConsumeAsync(QueueOf(node), autoAck: false, consumer, ct);
        }
    }

    private async Task OnCommandAsync(object sender, BasicDeliverEventArgs delivery)
    {
        if (WireParser.TryParse<StepRequested>(delivery.Body, out var command, out _) && answers?.Invoke(command!) != false)
        {
            if (!_done.TryGetValue(command!.CommandId, out var result))
            {
                await Task.Delay(latency);
                var ok = succeeds(command);
                result = new StepCompleted(command.CommandId, command.NodeId, ok ? StepOutcomes.Succeeded : StepOutcomes.Failed,
                    ok ? 0 : 1, ok ? $"{command.Action} done" : $"{command.Action} failed on {command.NodeId} (simulated)", DateTimeOffset.UtcNow);
                result = _done.GetOrAdd(command.CommandId, result);
            }
            await PublishAsync(result);
        }
        await _channel!.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }

    private async Task PublishAsync(StepCompleted result)
    {
        await _publishGate.WaitAsync();
        try
        {
            var properties = new BasicProperties { ContentType = "application/json", Persistent = true, UserId = userId };
            await _channel!.BasicPublishAsync(Exchanges.StepResults, "", mandatory: false, properties, WireJson.Serialize(result));
        }
        finally
        {
            _publishGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is null) return;
        foreach (var node in nodes) await _channel.QueueDeleteAsync(QueueOf(node));
        await _channel.CloseAsync();
    }
}
