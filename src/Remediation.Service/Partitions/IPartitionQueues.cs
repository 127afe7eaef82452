namespace Remediation.Service.Partitions;

/// <summary>
/// What consumes the queues of the partitions this instance holds (the bus's partition endpoints): a queue is consumed
/// while <see cref="PartitionLeases"/> holds its partition.
/// </summary>
public interface IPartitionQueues
{
    /// <summary>Consumes the queues of the partitions not consumed yet; one that cannot start now is started on a later call.</summary>
    Task StartAsync(IEnumerable<int> starting, CancellationToken ct);

    /// <summary>Stops consuming the partitions' queues; <paramref name="graceful"/>: what was taken in may commit first.</summary>
    Task StopAsync(IReadOnlyCollection<int> stopping, bool graceful, CancellationToken ct);
}
