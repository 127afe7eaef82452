using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Contracts;

namespace Remediation.Faults.Harness;

/// <summary>
/// Fake node agents, after tools/Remediation.Simulator/SimulatedFleet.cs, that also record every delivery and
/// every execution by commandId. They dedupe by commandId as a real agent must, so <see cref="Executed"/> is what
/// ran on the nodes; a step the service re-issued under a new commandId would show up there twice.
/// </summary>
public sealed class RecordingFleet(IConnection connection, Uri vhost, IReadOnlyList<string> nodes, TimeSpan latency, bool answerTwice = false)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<StepCompleted>>> _runs = new();
    private readonly ReliablePublisher _results = new(vhost, Exchanges.StepResults);
    private readonly HashSet<string> _nodes = [.. nodes];
    private IChannel? _channel;

    public ConcurrentDictionary<string, StepRequested> Executed { get; } = new();
    public ConcurrentDictionary<string, int> Deliveries { get; } = new();

    public bool Handles(string nodeId) => _nodes.Contains(nodeId);

    public static string QueueOf(string nodeId) => $"remediation.agent.{nodeId}";

    public async Task StartAsync(CancellationToken ct)
    {
        // Every node's agent works on its own; one slow step must not hold up the other nodes' steps.
        _channel = await connection.CreateChannelAsync(new CreateChannelOptions(false, false, consumerDispatchConcurrency: 1024), ct);
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
        if (WireParser.TryParse<StepRequested>(delivery.Body, out var command, out _))
        {
            Deliveries.AddOrUpdate(command!.CommandId, 1, (_, n) => n + 1);
            var result = await _runs.GetOrAdd(command.CommandId, _ => new Lazy<Task<StepCompleted>>(() => ExecuteAsync(command))).Value;
            await PublishAsync(result);
            if (answerTwice) await PublishAsync(result);
        }
        try
        {
            await _channel!.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        }
        catch (Exception)
        {
            // The broker went away: it redelivers the command, and the commandId dedupe answers with the first result.
        }
    }

    private async Task<StepCompleted> ExecuteAsync(StepRequested command)
    {
        Executed[command.CommandId] = command;
        await Task.Delay(latency);
        return new StepCompleted(command.CommandId, command.NodeId, StepOutcomes.Succeeded, 0, $"{command.Action} done", DateTimeOffset.UtcNow);
    }

    /// <summary>Results are retried until confirmed: an agent buffers across a broker outage.</summary>
    private Task PublishAsync(StepCompleted result) => _results.SendAsync([WireJson.Serialize(result)], CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_channel is { IsOpen: true }) await Closing.QuietlyAsync(() => _channel.CloseAsync());
        await _results.DisposeAsync();
    }
}
