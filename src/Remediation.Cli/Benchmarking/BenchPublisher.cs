using RabbitMQ.Client;

namespace Remediation.Cli.Benchmarking;

public static class BenchPublisher
{
    /// <summary>Publishes with confirms, a window of them in flight at once so the publisher is not the bottleneck.</summary>
    public static async Task PublishAllAsync(IConnection bus, string exchange, string routingKey, IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        await using var channel = await bus.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true };
        foreach (var window in bodies.Chunk(1000))
            await Task.WhenAll(window.Select(body => channel.BasicPublishAsync(exchange, routingKey, false, properties, body, ct).AsTask()));
    }
}
