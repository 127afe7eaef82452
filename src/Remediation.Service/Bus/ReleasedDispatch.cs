using MassTransit;
using MassTransit.Middleware;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// Lets an endpoint hold as many messages as it prefetches without a RabbitMQ.Client dispatch loop for each. MassTransit
/// awaits a message's whole consume in the loop that delivered it, and opens the channel with as many loops as the
/// endpoint's concurrent message limit; an ingest input waits in its consumer until its commit, so the limit had to be the
/// prefetch (2,000). Those loops read one channel that wakes every idle one on each delivery: at 1k faults/s that was a
/// fifth of the service's CPU, and after a storm's flush the thread pool's queue held 1,000 to 1,900 wake-ups ahead of
/// every input. Through this filter the consumer MassTransit registers is wrapped so that the loop is given back as soon
/// as MassTransit has taken the message in; the endpoint then needs one loop, and the prefetch alone bounds
/// what is in flight. MassTransit still acknowledges a message when its consume completes; the channel sends those acks
/// a run at a time (<see cref="BatchedAcks"/>).
/// </summary>
public sealed class ReleasedDispatch(OwedAcks owed, int prefetch) : IFilter<ChannelContext>
{
    public Task Send(ChannelContext context, IPipe<ChannelContext> next) => next.Send(new ReleasingChannel(context, owed, prefetch));

    public void Probe(ProbeContext context) => context.CreateFilterScope("releasedDispatch");

    /// <summary>The channel as MassTransit uses it, but for the consumer it registers.</summary>
    private sealed class ReleasingChannel(ChannelContext context, OwedAcks owed, int prefetch) : ProxyPipeContext(context), ChannelContext
    {
        private readonly BatchedAcks _acks = new((tag, multiple) => WriteAckAsync(context, tag, multiple), owed, prefetch);

        public IChannel Channel => context.Channel;
        public ConnectionContext ConnectionContext => context.ConnectionContext;

        public Task<string> BasicConsume(string queue, bool noAck, bool exclusive, IDictionary<string, object> arguments, IAsyncBasicConsumer consumer,
            string consumerTag, CancellationToken cancellationToken) =>
            context.BasicConsume(queue, noAck, exclusive, arguments, new Released(consumer, _acks), consumerTag, cancellationToken);

        public Task BasicPublishAsync(string exchange, string routingKey, bool mandatory, BasicProperties basicProperties, byte[] body, bool awaitAck,
            CancellationToken cancellationToken) =>
            context.BasicPublishAsync(exchange, routingKey, mandatory, basicProperties, body, awaitAck, cancellationToken);

        public Task ExchangeBind(string destination, string source, string routingKey, IDictionary<string, object> arguments, CancellationToken cancellationToken) =>
            context.ExchangeBind(destination, source, routingKey, arguments, cancellationToken);

        public Task ExchangeDeclare(string exchange, string type, bool durable, bool autoDelete, IDictionary<string, object> arguments, CancellationToken cancellationToken) =>
            context.ExchangeDeclare(exchange, type, durable, autoDelete, arguments, cancellationToken);

        public Task ExchangeDeclarePassive(string exchange, CancellationToken cancellationToken) => context.ExchangeDeclarePassive(exchange, cancellationToken);

        public Task QueueBind(string queue, string exchange, string routingKey, IDictionary<string, object> arguments, CancellationToken cancellationToken) =>
            context.QueueBind(queue, exchange, routingKey, arguments, cancellationToken);

        public Task<QueueDeclareOk> QueueDeclare(string queue, bool durable, bool exclusive, bool autoDelete, IDictionary<string, object> arguments,
            CancellationToken cancellationToken) =>
            context.QueueDeclare(queue, durable, exclusive, autoDelete, arguments, cancellationToken);

        public Task<QueueDeclareOk> QueueDeclarePassive(string queue, CancellationToken cancellationToken) => context.QueueDeclarePassive(queue, cancellationToken);

        public Task<uint> QueuePurge(string queue, CancellationToken cancellationToken) => context.QueuePurge(queue, cancellationToken);

        public Task BasicQos(uint prefetchSize, ushort prefetchCount, bool global, CancellationToken cancellationToken) =>
            context.BasicQos(prefetchSize, prefetchCount, global, cancellationToken);

        public ValueTask BasicAck(ulong deliveryTag, bool multiple, CancellationToken cancellationToken) =>
            multiple ? context.BasicAck(deliveryTag, multiple, cancellationToken) : new ValueTask(_acks.AckAsync(deliveryTag));

        public Task BasicNack(ulong deliveryTag, bool multiple, bool requeue, CancellationToken cancellationToken) =>
            multiple
                ? context.BasicNack(deliveryTag, multiple, requeue, cancellationToken)
                : _acks.NackAsync(deliveryTag, () => context.BasicNack(deliveryTag, multiple, requeue, cancellationToken));

        public Task BasicCancel(string consumerTag, CancellationToken cancellationToken) => context.BasicCancel(consumerTag, cancellationToken);

        public void NotifyFaulted(Exception exception, Uri inputAddress) => context.NotifyFaulted(exception, inputAddress);
    }

    /// <summary>
    /// Writes an acknowledgement unless the connection is lost. A lost connection's frame buffer may never drain, and an
    /// ack written into it would never complete, nor would the consume waiting for it (<see cref="ConnectionLoss"/>); the
    /// broker delivers an unacknowledged message again whatever is written, and its event id makes that harmless. So
    /// an ack the lost connection cannot carry is dropped, not failed: a failed one is an error with its stack in
    /// MassTransit's log, hundreds of them when a broker goes away under load. True when the frame was written.
    /// </summary>
    private static async ValueTask<bool> WriteAckAsync(ChannelContext context, ulong tag, bool multiple)
    {
        var lost = ConnectionLoss.Of(context.ConnectionContext.Connection);
        if (lost.IsCancellationRequested) return false;
        try
        {
            await context.BasicAck(tag, multiple, lost);
            return true;
        }
        catch (Exception) when (lost.IsCancellationRequested || !context.ConnectionContext.Connection.IsOpen)
        {
            return false;
        }
    }

    /// <summary>
    /// MassTransit's consumer, given the message and left to finish it: the delivery returns once MassTransit has taken it
    /// in (up to its first wait, the hand-off to the decision loop), so inputs reach the loop in the order they came.
    /// The body is copied: RabbitMQ.Client reuses its buffer once the delivery returns.
    /// </summary>
    internal sealed class Released(IAsyncBasicConsumer consumer, BatchedAcks? acks = null) : IAsyncBasicConsumer
    {
        public IChannel? Channel => consumer.Channel;

        public Task HandleBasicDeliverAsync(string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey,
            IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        {
            acks?.Delivered(deliveryTag);
            var consumed = consumer.HandleBasicDeliverAsync(consumerTag, deliveryTag, redelivered, exchange, routingKey, properties, body.ToArray(), cancellationToken);
            // MassTransit handles and logs its own failures; this only keeps one from going unobserved.
            if (!consumed.IsCompleted) consumed.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            return Task.CompletedTask;
        }

        public Task HandleBasicCancelAsync(string consumerTag, CancellationToken cancellationToken = default) => consumer.HandleBasicCancelAsync(consumerTag, cancellationToken);

        public Task HandleBasicCancelOkAsync(string consumerTag, CancellationToken cancellationToken = default) =>
            consumer.HandleBasicCancelOkAsync(consumerTag, cancellationToken);

        public Task HandleBasicConsumeOkAsync(string consumerTag, CancellationToken cancellationToken = default) =>
            consumer.HandleBasicConsumeOkAsync(consumerTag, cancellationToken);

        public Task HandleChannelShutdownAsync(object channel, ShutdownEventArgs reason) => consumer.HandleChannelShutdownAsync(channel, reason);
    }
}
