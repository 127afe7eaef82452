namespace Remediation.Service.Repair;

/// <summary>
/// A scheduler that reboots nodes itself (Slurm runs its RebootProgram through slurmd). It holds the node until its
/// jobs end, reboots it, and knows when it is back, so no job lands between drain and reboot and the reboot is proven
/// by the scheduler, not assumed because a command returned.
/// </summary>
public interface ISchedulerReboot
{
    /// <summary>Asks for the reboot; one already pending is not asked again. Read the progress with <see cref="IScheduler.GetAsync"/>.</summary>
    Task<SchedulerResult> RequestRebootAsync(string node, string reason, CancellationToken ct);
}
