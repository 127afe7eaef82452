using RabbitMQ.Client;
using Remediation.Contracts;

namespace Remediation.Cli.Simulating;

/// <summary>Publishes faults as plain JSON, the way an agent in any language would, with publisher confirms.</summary>
public sealed class FaultPublisher(IChannel channel) : IAsyncDisposable
{
    public static async Task<FaultPublisher> CreateAsync(IConnection connection, CancellationToken ct)
    {
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
        await channel.ExchangeDeclareAsync(Exchanges.Faults, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        return new FaultPublisher(channel);
    }

    public ValueTask PublishAsync(FaultDetected fault, CancellationToken ct) => PublishAsync(WireJson.Serialize(fault), ct);

    public async ValueTask PublishAsync(byte[] body, CancellationToken ct)
    {
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true };
        await channel.BasicPublishAsync(Exchanges.Faults, "", mandatory: false, properties, body, ct);
    }

    public async ValueTask DisposeAsync() => await channel.CloseAsync();
}
