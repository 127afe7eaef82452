namespace Remediation.Service.Partitions;

/// <summary>How the work is split between service instances (<c>Partitions:*</c>).</summary>
public sealed record PartitionOptions
{
    /// <summary>
    /// Fixed number of partition queues. Every instance of a deployment must agree on it, and changing it moves nodes
    /// between partitions, so pick it once with room to grow: more partitions than instances you will ever run.
    /// </summary>
    public int Count { get; init; } = 16;

    /// <summary>How often an instance looks at who is alive and takes or hands back partitions.</summary>
    public TimeSpan Rebalance { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a partition being handed back may take to commit what it already took in.</summary>
    public TimeSpan HandOverGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>RabbitMQ queue type of the partition and ingest queues: <c>classic</c>, or <c>quorum</c> on a cluster.</summary>
    public string QueueType { get; init; } = "classic";

    public void Validate()
    {
        if (Count is < 1 or > 1024) throw new InvalidOperationException($"Partitions:Count must be between 1 and 1024, not {Count}");
        if (QueueType is not ("classic" or "quorum"))
            throw new InvalidOperationException($"Partitions:QueueType must be 'classic' or 'quorum', not '{QueueType}'");
        if (Rebalance <= TimeSpan.Zero) throw new InvalidOperationException("Partitions:Rebalance must be positive");
    }
}
