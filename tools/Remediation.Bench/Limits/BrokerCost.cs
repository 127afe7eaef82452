using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Remediation.Bench.Limits;

/// <summary>Messages/s through RabbitMQ with nothing else to do: publish with confirms, and consume with acks.</summary>
public sealed record BrokerCost(double PublishOne, double PublishMany, int Publishers, double ConsumeAckEach, double ConsumeAckBatch);

/// <summary>
/// What the broker costs per message, measured with RabbitMQ.Client alone on a queue of its own: --faults bench
/// faults published by one connection and by --publishers connections (confirms counted in windows), then consumed
/// with a prefetch of 2,000 and acknowledged one by one (as MassTransit acknowledges) and in batches of 1,000 (as the
/// baseline does after its COPY).
/// </summary>
public static class BrokerCosts
{
    private const string Queue = "remediation.bench.limits";
    private const int Prefetch = 2000, AckBatch = 1000;

    public static async Task<BrokerCost> MeasureAsync(BenchContext c, CancellationToken ct)
    {
        var bodies = Enumerable.Range(0, c.Scale.Faults).Select(i => BenchWorkload.Fault(i, c.Scale.Nodes)).ToList();
        await using var channel = await c.Bus.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await channel.QueuePurgeAsync(Queue, ct);
        try
        {
            var one = await BenchPublisher.PublishAllAsync(c, 1, "", Queue, bodies, ct);
            var each = await ConsumeAsync(channel, bodies.Count, ackEvery: 1, ct);
            var many = await BenchPublisher.PublishAllAsync(c, c.Scale.Publishers, "", Queue, bodies, ct);
            var batch = await ConsumeAsync(channel, bodies.Count, AckBatch, ct);
            var cost = new BrokerCost(one, many, c.Scale.Publishers, each, batch);
            await c.SayAsync($"limits: broker: publish+confirm {one:F0} msgs/s on 1 connection, {many:F0} on {cost.Publishers}; " +
                $"consume+ack {each:F0} msgs/s acking each, {batch:F0} acking {AckBatch} at a time");
            return cost;
        }
        finally
        {
            await channel.QueueDeleteAsync(Queue, cancellationToken: ct);
        }
    }

    /// <summary>From the first delivery to the last ack; the queue holds <paramref name="count"/> messages already.</summary>
    private static async Task<double> ConsumeAsync(IChannel channel, int count, int ackEvery, CancellationToken ct)
    {
        await channel.BasicQosAsync(0, Prefetch, false, ct);
        var clock = new Stopwatch();
        var seen = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (!clock.IsRunning) clock.Start();
            if (++seen % ackEvery == 0 || seen == count) await channel.BasicAckAsync(delivery.DeliveryTag, multiple: ackEvery > 1, ct);
            if (seen == count) done.TrySetResult();
        };
        var tag = await channel.BasicConsumeAsync(Queue, autoAck: false, consumer, ct);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5), ct);
        clock.Stop();
        await channel.BasicCancelAsync(tag, cancellationToken: ct);
        return count / clock.Elapsed.TotalSeconds;
    }
}
