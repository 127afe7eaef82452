using RabbitMQ.Client;
using Remediation.Contracts;

namespace Remediation.Service.Bus;

/// <summary>Declares the exchanges and queues of the wire contract. Idempotent; every start runs it.</summary>
public static class BusTopology
{
    public const string FaultsQueue = "remediation.faults.ingest";
    public const string ResultsQueue = "remediation.step-results.ingest";
    public const string InvalidResultsQueue = "remediation.step-results.invalid";

    public static async Task DeclareAsync(IChannel channel, CancellationToken ct)
    {
        await channel.ExchangeDeclareAsync(Exchanges.Faults, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(Exchanges.Commands, ExchangeType.Direct, durable: true, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(Exchanges.StepResults, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        foreach (var queue in new[] { FaultsQueue, ResultsQueue, Exchanges.InvalidFaultsQueue, InvalidResultsQueue })
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await channel.QueueBindAsync(FaultsQueue, Exchanges.Faults, "", cancellationToken: ct);
        await channel.QueueBindAsync(ResultsQueue, Exchanges.StepResults, "", cancellationToken: ct);
    }

    public static ConnectionFactory Factory(string uri, string clientName) => new()
    {
        Uri = new Uri(uri),
        ClientProvidedName = clientName,
        AutomaticRecoveryEnabled = true,
        TopologyRecoveryEnabled = true,
        NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
    };
}
