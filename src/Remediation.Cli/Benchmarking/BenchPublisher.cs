using RabbitMQ.Client;

namespace Remediation.Cli.Benchmarking;

/// <summary>Publishes with confirms over one channel, a window of them in flight so the publisher is not the bottleneck.</summary>
public sealed class BenchPublisher(IChannel channel) : IAsyncDisposable
{
    private static readonly BasicProperties Properties = new() { ContentType = "application/json", Persistent = true };

    public static async Task<BenchPublisher> OpenAsync(IConnection bus, CancellationToken ct) =>
        new(await bus.CreateChannelAsync(new CreateChannelOptions(true, true), ct));

    public static async Task PublishAllAsync(IConnection bus, string exchange, string routingKey, IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        await using var publisher = await OpenAsync(bus, ct);
        await publisher.PublishAsync(exchange, routingKey, bodies, ct);
    }

    public async Task PublishAsync(string exchange, string routingKey, IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        foreach (var window in bodies.Chunk(1000))
            await Task.WhenAll(window.Select(body => channel.BasicPublishAsync(exchange, routingKey, false, Properties, body, ct).AsTask()));
    }

    public ValueTask DisposeAsync() => channel.DisposeAsync();
}
