using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Remediation.Service.Bus;

namespace Remediation.Tests.Transport;

/// <summary>
/// What the released dispatch promises RabbitMQ.Client and MassTransit: the client's loop is free as soon as the
/// consume has started, the consume goes on with the message as it came, and deliveries start in the order they came.
/// </summary>
public sealed class ReleasedDispatchTests
{
    [Fact]
    public async Task A_delivery_returns_while_its_consume_waits_and_the_consume_keeps_the_body_it_was_given()
    {
        var held = new HeldConsumer();
        var released = new ReleasedDispatch.Released(held);
        var buffer = Encoding.UTF8.GetBytes("{\"nodeId\":\"gpu-node-7\"}");

        var delivered = released.HandleBasicDeliverAsync("tag", 1, false, "faults", "", new BasicProperties(), buffer);

        Assert.True(delivered.IsCompletedSuccessfully);
        // RabbitMQ.Client reuses its buffer once the delivery returns.
        Array.Fill(buffer, (byte)'x');
        Assert.Equal("{\"nodeId\":\"gpu-node-7\"}", Encoding.UTF8.GetString(held.Bodies[0].Span));
        Assert.False(held.Consumes[0].IsCompleted);
        held.FinishAll();
        await held.Consumes[0];
    }

    [Fact]
    public void Deliveries_start_their_consumes_in_the_order_they_came_without_waiting_for_each_other()
    {
        var held = new HeldConsumer();
        var released = new ReleasedDispatch.Released(held);

        for (ulong tag = 1; tag <= 5; tag++)
            Assert.True(released.HandleBasicDeliverAsync("tag", tag, false, "faults", "", new BasicProperties(), new byte[] { (byte)tag }).IsCompleted);

        Assert.Equal([1UL, 2, 3, 4, 5], held.Tags);
        Assert.All(held.Consumes, c => Assert.False(c.IsCompleted));
        held.FinishAll();
    }

    /// <summary>A consumer whose consumes wait, as an ingest input waits in MassTransit until its commit.</summary>
    private sealed class HeldConsumer : IAsyncBasicConsumer
    {
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<ReadOnlyMemory<byte>> Bodies { get; } = [];
        public List<ulong> Tags { get; } = [];
        public List<Task> Consumes { get; } = [];

        public IChannel? Channel => null;

        public void FinishAll() => _finish.TrySetResult();

        public Task HandleBasicDeliverAsync(string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey,
            IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        {
            Bodies.Add(body);
            Tags.Add(deliveryTag);
            var consume = _finish.Task;
            Consumes.Add(consume);
            return consume;
        }

        public Task HandleBasicCancelAsync(string consumerTag, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task HandleBasicCancelOkAsync(string consumerTag, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task HandleBasicConsumeOkAsync(string consumerTag, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task HandleChannelShutdownAsync(object channel, ShutdownEventArgs reason) => Task.CompletedTask;
    }
}
