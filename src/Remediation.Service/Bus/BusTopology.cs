using Remediation.Contracts;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>
/// The service's names on the broker, all inside <c>remediation.</c>, the only space its broker user may configure,
/// write and read. Faults and step results land in the ingest queues, which one instance at a time (single active
/// consumer) takes in: it decides what it holds itself and sends the rest by node to the partition queues; each
/// partition queue again has one active consumer, the instance holding it.
/// </summary>
public static class BusTopology
{
    public const string FaultsQueue = Exchanges.FaultsIngestQueue;
    public const string ResultsQueue = "remediation.step-results.ingest";
    public const string InvalidResultsQueue = "remediation.step-results.invalid";

    /// <summary>Header telling a partition consumer what a body sent on by the ingesting instance is.</summary>
    public const string InputHeader = "remediation-input";
    public const string FaultInput = "fault";
    public const string ResultInput = "result";

    /// <summary>Not routed: sent straight to a partition by an instance that wrote for a node it does not hold.</summary>
    public const string ReloadInput = "reload";

    public static readonly Uri Commands = new($"exchange:{Exchanges.Commands}?type=direct");
    public static readonly Uri StepResults = new($"exchange:{Exchanges.StepResults}?type=fanout");
    public static readonly Uri Faults = new($"exchange:{Exchanges.Faults}?type=fanout");

    /// <summary>
    /// A partition queue, declared by its first sender as its consumers declare it (single active consumer), so a
    /// copy routed to a partition nobody holds yet waits in its queue instead of being dropped.
    /// </summary>
    public static Uri Partition(int partition) => new($"queue:{PartitionMap.Queue(partition)}?singleactiveconsumer=true");

    public static Uri Queue(string name) => new($"queue:{name}");

    /// <summary>Where bad input of an endpoint goes, by what the input is.</summary>
    public static string InvalidQueueFor(string? input) => input == ResultInput ? InvalidResultsQueue : Exchanges.InvalidFaultsQueue;
}

/// <summary>The service's broker user: what it sets as AMQP user_id, and the publisher it trusts by default.</summary>
public sealed record BusIdentity(string User)
{
    public static BusIdentity From(string amqpUri) => new(BrokerUser.Of(amqpUri));
}
