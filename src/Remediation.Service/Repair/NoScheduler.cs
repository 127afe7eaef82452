namespace Remediation.Service.Repair;

/// <summary>
/// Scheduler:Kind = none. Says plainly that nothing was done, so a demo or a fleet without a workload scheduler
/// still walks through quarantine, cordon and RMA, and its timeline says the node was never taken out of anything.
/// </summary>
public sealed class NoScheduler : IScheduler
{
    public const string Output =
        "no scheduler configured: nothing was cordoned or drained; the agent still refuses to act under running GPU processes";

    public Task<SchedulerResult> CordonAsync(string node, string reason, CancellationToken ct) =>
        Task.FromResult(SchedulerResult.Ok(Output));

    public Task<SchedulerResult> UncordonAsync(string node, string reason, CancellationToken ct) =>
        Task.FromResult(SchedulerResult.Ok(Output));

    public Task<SchedulerNodeState> GetAsync(string node, CancellationToken ct) =>
        Task.FromResult(new SchedulerNodeState(node, Output, Cordoned: false, CordonedBy: null));
}
