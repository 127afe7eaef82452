using RabbitMQ.Client;
using Remediation.Contracts;

namespace Remediation.Simulator;

/// <summary>Publishes faults as plain JSON, the way an agent in any language would, with publisher confirms.</summary>
public sealed class FaultPublisher(IChannel channel, string userId) : IAsyncDisposable
{
    /// <param name="userId">the broker user of <paramref name="connection"/>, sent as the AMQP user_id the service checks</param>
    public static async Task<FaultPublisher> CreateAsync(IConnection connection, string userId, CancellationToken ct)
    {
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
        await channel.ExchangeDeclareAsync(Exchanges.Faults, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        return new FaultPublisher(channel, userId);
    }

    public ValueTask PublishAsync(FaultDetected fault, CancellationToken ct) => PublishAsync(WireJson.Serialize(fault), ct);

    public async ValueTask PublishAsync(byte[] body, CancellationToken ct)
    {
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true, UserId = userId };
        await channel.BasicPublishAsync(Exchanges.Faults, "", mandatory: false, properties, body, ct);
    }

    public async ValueTask DisposeAsync() => await channel.CloseAsync();
}
