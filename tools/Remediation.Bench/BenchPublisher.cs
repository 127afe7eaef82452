using RabbitMQ.Client;

namespace Remediation.Bench;

/// <summary>Publishes with confirms over one channel, a window of them in flight so the publisher is not the bottleneck.</summary>
public sealed class BenchPublisher(IChannel channel, string userId) : IAsyncDisposable
{
    private readonly BasicProperties _properties = new() { ContentType = "application/json", Persistent = true, UserId = userId };

    public static async Task<BenchPublisher> OpenAsync(IConnection bus, string userId, CancellationToken ct) =>
        new(await bus.CreateChannelAsync(new CreateChannelOptions(true, true), ct), userId);

    public static async Task PublishAllAsync(IConnection bus, string userId, string exchange, string routingKey, IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        await using var publisher = await OpenAsync(bus, userId, ct);
        await publisher.PublishAsync(exchange, routingKey, bodies, ct);
    }

    public async Task PublishAsync(string exchange, string routingKey, IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        foreach (var window in bodies.Chunk(1000))
            await Task.WhenAll(window.Select(body => channel.BasicPublishAsync(exchange, routingKey, false, _properties, body, ct).AsTask()));
    }

    public ValueTask DisposeAsync() => channel.DisposeAsync();
}
