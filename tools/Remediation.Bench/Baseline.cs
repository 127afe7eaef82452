using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Remediation.Bench;

/// <summary>
/// The least a durable pipeline must do: consume from RabbitMQ in batches, COPY the bodies into PostgreSQL, commit,
/// then acknowledge. Remediation's throughput is reported as a fraction of this one's, measured in the same run.
/// </summary>
public static class Baseline
{
    public const string Queue = "remediation.bench.baseline";

    public static async Task<double> RunAsync(BenchContext c, string schema, IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(c.Postgres);
        await db.OpenAsync(ct);
        await using (var create = new NpgsqlCommand($"create table if not exists {schema}.bench_baseline (body jsonb not null)", db))
            await create.ExecuteNonQueryAsync(ct);

        await using var channel = await c.Bus.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await channel.QueuePurgeAsync(Queue, ct);
        await BenchPublisher.PublishAllAsync(c, c.Scale.Publishers, "", Queue, bodies, ct);

        await channel.BasicQosAsync(0, 8000, false, ct);
        var batch = new List<BasicDeliverEventArgs>();
        var done = 0;
        var finished = new TaskCompletionSource();
        var clock = new Stopwatch();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (!clock.IsRunning) clock.Start();
            batch.Add(new BasicDeliverEventArgs(delivery.ConsumerTag, delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange,
                delivery.RoutingKey, delivery.BasicProperties, delivery.Body.ToArray()));
            if (batch.Count < 2000 && done + batch.Count < bodies.Count) return;
            await using (var tx = await db.BeginTransactionAsync(ct))
            {
                await using (var copy = await db.BeginBinaryImportAsync($"copy {schema}.bench_baseline (body) from stdin (format binary)", ct))
                {
                    foreach (var d in batch)
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(System.Text.Encoding.UTF8.GetString(d.Body.Span), NpgsqlDbType.Jsonb, ct);
                    }
                    await copy.CompleteAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
            await channel.BasicAckAsync(batch[^1].DeliveryTag, multiple: true, ct);
            done += batch.Count;
            batch.Clear();
            if (done >= bodies.Count) finished.TrySetResult();
        };
        await channel.BasicConsumeAsync(Queue, autoAck: false, consumer, ct);
        await finished.Task.WaitAsync(TimeSpan.FromMinutes(5), ct);
        clock.Stop();
        await channel.QueueDeleteAsync(Queue, cancellationToken: ct);
        return bodies.Count / clock.Elapsed.TotalSeconds;
    }
}
