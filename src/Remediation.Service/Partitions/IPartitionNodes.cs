namespace Remediation.Service.Partitions;

/// <summary>
/// What works on the nodes of the partitions this instance holds (the decision loop): it takes over a partition's nodes
/// when <see cref="PartitionLeases"/> takes the partition, and lets go of them when the partition is handed back.
/// </summary>
public interface IPartitionNodes
{
    /// <summary>The partitions are this instance's now: their nodes are worked on here.</summary>
    Task AcquireAsync(IReadOnlyList<int> partitions, CancellationToken ct);

    /// <summary>The partitions are handed back: nothing of their nodes is worked on here any more.</summary>
    Task ReleaseAsync(IReadOnlyList<int> partitions, CancellationToken ct);
}
