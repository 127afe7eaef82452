namespace Remediation.Service.Repair;

/// <summary>
/// Takes a node out of the workload scheduler and gives it back. Implementations never give back a node that
/// someone else took out: they remember the reason they set and refuse when it is not theirs.
/// </summary>
public interface IScheduler
{
    Task<SchedulerResult> CordonAsync(string node, string reason, CancellationToken ct);

    Task<SchedulerResult> UncordonAsync(string node, string reason, CancellationToken ct);

    /// <summary>The node as the scheduler sees it; throws <see cref="SchedulerException"/> when it cannot be read.</summary>
    Task<SchedulerNodeState> GetAsync(string node, CancellationToken ct);
}
