using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Contracts;

namespace Remediation.Agent.Publishing;

/// <summary>
/// One connection to the broker: a confirmed channel for faults and results, and (optionally) the consumer of this
/// node's command queue. Publishing returns only once the broker has confirmed the message.
/// </summary>
public sealed class BrokerSession : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _publish;
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private IChannel? _commands;

    private readonly string _userId;

    // How long a command whose handler failed waits before it is requeued, so a persistent failure cannot spin.
    private static readonly TimeSpan RequeueDelay = TimeSpan.FromSeconds(2);

    private BrokerSession(IConnection connection, IChannel publish, string userId)
    {
        _connection = connection;
        _publish = publish;
        _userId = userId;
    }

    public bool IsOpen => _connection.IsOpen && _publish.IsOpen && (_commands?.IsOpen ?? true);

    public static string QueueOf(string nodeId) => $"remediation.agent.{nodeId}";

    public static async Task<BrokerSession> OpenAsync(Uri broker, string nodeId, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = broker, AutomaticRecoveryEnabled = false, ClientProvidedName = $"remediation-agent {nodeId}" };
        var connection = await factory.CreateConnectionAsync(ct);
        try
        {
            var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
            return new BrokerSession(connection, channel, BrokerUser.Of(broker));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a trace (or continues the current one) that the service continues from the fault's <c>traceparent</c>.</summary>
    public Task PublishFaultAsync(FaultDetected fault, CancellationToken ct) =>
        PublishAsync(Exchanges.Faults, WireJson.Serialize(fault), fault.EventId, "fault publish", ct);

    /// <summary>Output is cleaned to fit the contract: a tool that printed a NUL or megabytes must still report its step.</summary>
    public Task PublishResultAsync(StepCompleted result, CancellationToken ct) =>
        PublishAsync(Exchanges.StepResults, WireJson.Serialize(result with { Output = result.Output is { } o ? WireText.Clean(o) : null }),
            result.CommandId, "result publish", ct);

    private async Task PublishAsync(string exchange, byte[] body, string messageId, string operation, CancellationToken ct)
    {
        using var span = AgentTracing.Start(operation, ActivityKind.Producer);
        // The broker checks user_id against this connection's user; the service acts only on what this node's user sent.
        var properties = new BasicProperties
        {
            ContentType = "application/json", Persistent = true, MessageId = messageId, UserId = _userId, Headers = AgentTracing.Headers(span),
        };
        await _publishGate.WaitAsync(ct);
        try
        {
            await _publish.BasicPublishAsync(exchange, "", mandatory: false, properties, body, ct);
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>
    /// Consumes this node's queue one command at a time. With <paramref name="declare"/> the agent creates the queue and
    /// its binding itself (development); least-privilege users cannot, and consume a queue the broker definitions made.
    /// </summary>
    public async Task ConsumeCommandsAsync(string nodeId, bool declare, Func<ReadOnlyMemory<byte>, Task> handle, CancellationToken ct)
    {
        _commands = await _connection.CreateChannelAsync(cancellationToken: ct);
        var queue = QueueOf(nodeId);
        if (declare)
        {
            await _commands.ExchangeDeclareAsync(Exchanges.Commands, ExchangeType.Direct, durable: true, cancellationToken: ct);
            await _commands.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
            await _commands.QueueBindAsync(queue, Exchanges.Commands, nodeId, cancellationToken: ct);
        }
        await _commands.BasicQosAsync(0, 1, false, ct);
        var consumer = new AsyncEventingBasicConsumer(_commands);
        consumer.ReceivedAsync += (_, delivery) => SettleAsync(_commands, delivery, handle, ct);
        await _commands.BasicConsumeAsync(queue, autoAck: false, consumer, ct);
    }

    /// <summary>
    /// Acknowledged only after the result is confirmed: a broker lost mid-step redelivers, and the commandId store
    /// answers the repeat without running it again. A handler that throws gets its command requeued after a pause,
    /// never left unacknowledged: with a prefetch of one, an unsettled delivery would stop every later command.
    /// </summary>
    private static async Task SettleAsync(IChannel channel, BasicDeliverEventArgs delivery, Func<ReadOnlyMemory<byte>, Task> handle, CancellationToken ct)
    {
        try
        {
            // The result published while handling continues the trace the command came in.
            using var span = AgentTracing.Start("command process", ActivityKind.Consumer, AgentTracing.ParentOf(delivery.BasicProperties.Headers));
            await handle(delivery.Body.ToArray());
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
            return;
        }
        catch (Exception) when (!ct.IsCancellationRequested && channel.IsOpen)
        {
            await PauseAsync(RequeueDelay, ct);
        }
        catch (Exception)
        {
            // Stopping, or the channel is gone: the broker requeues what was not acknowledged by itself.
            return;
        }
        try
        {
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.RabbitMQClientException or IOException or ObjectDisposedException)
        {
            // The channel closed during the pause; the broker requeues the delivery with it.
        }
    }

    private static async Task PauseAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the nack below still hands the command back at once.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connection.CloseAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is IOException or RabbitMQ.Client.Exceptions.RabbitMQClientException or OperationCanceledException)
        {
            // Already gone with the broker; nothing left to close.
        }
        await _connection.DisposeAsync();
    }
}
