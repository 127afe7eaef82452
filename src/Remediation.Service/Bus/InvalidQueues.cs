using RabbitMQ.Client;
using Remediation.Contracts;

namespace Remediation.Service.Bus;

/// <summary>
/// Declares the invalid queues once the bus is up, as a send to them would (an exchange of the same name bound to the
/// queue), so they exist for operators, alerts and readers before the first message is parked in one.
/// </summary>
public sealed class InvalidQueues(BrokerConnection broker, ILogger<InvalidQueues> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (broker.Current?.Connection is not { } connection)
        {
            logger.LogWarning("The invalid queues were not declared at start (no connection yet); the first parked message declares its queue");
            return;
        }
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        foreach (var queue in new[] { Exchanges.InvalidFaultsQueue, BusTopology.InvalidResultsQueue })
        {
            await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, cancellationToken: ct);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
            await channel.QueueBindAsync(queue, queue, "", cancellationToken: ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
