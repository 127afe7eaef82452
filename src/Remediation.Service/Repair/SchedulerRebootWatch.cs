using System.Collections.Concurrent;

namespace Remediation.Service.Repair;

/// <summary>
/// A reboot through the scheduler, from the ask to the node's return: still waiting for jobs at the deadline is "in
/// use" (asked again later, never twice: the boot it was asked on is remembered), still booting at the deadline is a
/// timeout (the cancellation is let through), the scheduler giving up is a failure, and back with its reboot cleared is
/// success. Only a scheduler that reboots (<see cref="ISchedulerReboot"/>) takes these steps.
/// </summary>
public sealed class SchedulerRebootWatch(IScheduler scheduler, SchedulerOptions scheduling, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Node, string Incident), string?> _askedOnBoot = new();

    public async Task<SchedulerResult> RebootAsync(string node, string incident, CancellationToken limit)
    {
        if (scheduler is not ISchedulerReboot reboots)
            return SchedulerResult.Failed($"Scheduler:Kind {scheduling.Kind} does not reboot nodes; reboot steps go to the node's agent");
        var key = (node, incident);
        var before = await scheduler.GetAsync(node, limit);
        if (before.Reboot == SchedulerReboot.None && _askedOnBoot.TryGetValue(key, out var askedOn) && askedOn != before.BootTime)
        {
            _askedOnBoot.TryRemove(key, out _);
            return await HoldAsync(node, incident, $"{node} rebooted already (BootTime {askedOn ?? "unknown"} -> {before.BootTime}); not asked again", limit);
        }
        var asked = await reboots.RequestRebootAsync(node, incident, limit);
        if (!asked.Succeeded) return asked;
        _askedOnBoot.TryAdd(key, before.BootTime);
        SchedulerNodeState? last = null;
        while (true)
        {
            try
            {
                var now = last = await scheduler.GetAsync(node, limit);
                switch (now.Reboot)
                {
                    case SchedulerReboot.None:
                        _askedOnBoot.TryRemove(key, out _);
                        return await HoldAsync(node, incident,
                            $"{asked.Output}\n{node} is back from its reboot: {now.State}, BootTime {before.BootTime ?? "unknown"} -> {now.BootTime ?? "unknown"}", limit);
                    case SchedulerReboot.TimedOut:
                        _askedOnBoot.TryRemove(key, out _);
                        return SchedulerResult.Failed($"{asked.Output}\n{node} did not come back within Slurm's ResumeTimeout: {now.State}");
                }
                await Task.Delay(scheduling.DrainPoll, time, limit);
            }
            // The deadline can fall while the scheduler is being asked as well as between asks: either way, a node last
            // seen waiting for its jobs is in use, not timed out.
            catch (OperationCanceledException) when (limit.IsCancellationRequested && last is { Reboot: SchedulerReboot.Requested, Busy: true })
            {
                return SchedulerResult.StillDraining($"{asked.Output}\n{node} is {last.State}: jobs still running; Slurm reboots it when they end");
            }
        }
    }

    // Back but unverified: held out of service until the runbook's give-back, whatever the scheduler's own rules
    // (Slurm's ReturnToService=2 returns a DOWN node whose slurmd registers; its DRAIN flag only an explicit resume clears).
    private async Task<SchedulerResult> HoldAsync(string node, string incident, string back, CancellationToken limit)
    {
        var held = await scheduler.CordonAsync(node, incident, limit);
        return held.Succeeded ? SchedulerResult.Ok($"{back}\nheld until verified: {held.Output}")
            : SchedulerResult.Failed($"{back}\nbut it could not be held out of service until verified: {held.Output}");
    }
}
