using RabbitMQ.Client;
using Remediation.Contracts;

namespace Remediation.Service.Bus;

/// <summary>
/// Declares the invalid queues as soon as the bus has a connection, and again on each new one, as a send to them would
/// (an exchange of the same name bound to the queue), so they exist for operators, alerts and readers before the first
/// message is parked in one.
/// The bus connects after the hosted services have started, so this waits for it: declared only when a connection was
/// already there, the queues were usually missing, and the queue-depth reading's passive declares of them failed every
/// 5 s, each one a channel error in the broker's log.
/// </summary>
public sealed class InvalidQueues(BrokerConnection broker, ILogger<InvalidQueues> logger) : BackgroundService
{
    private static readonly TimeSpan Look = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        IConnection? declared = null;
        while (true)
        {
            // Again on each new connection: a broker that comes back without its data (a pod with no volume) has no
            // invalid queues, and nothing else would declare them before a message is parked.
            if (broker.Current?.Connection is { } connection && connection != declared)
            {
                try
                {
                    await DeclareAsync(connection, ct);
                    declared = connection;
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // Refused (a user without configure rights on them, say): the first parked message declares its queue.
                    logger.LogWarning("Declaring the invalid queues failed ({Error}); trying again in {Delay}", e.Message, AfterFailure);
                    await Task.Delay(AfterFailure, ct);
                    continue;
                }
            }
            await Task.Delay(Look, ct);
        }
    }

    private static async Task DeclareAsync(IConnection connection, CancellationToken ct)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        foreach (var queue in new[] { Exchanges.InvalidFaultsQueue, BusTopology.InvalidResultsQueue })
        {
            await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, cancellationToken: ct);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
            await channel.QueueBindAsync(queue, queue, "", cancellationToken: ct);
        }
    }
}
