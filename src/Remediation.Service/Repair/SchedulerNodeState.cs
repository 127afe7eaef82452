namespace Remediation.Service.Repair;

/// <summary>
/// A node as its scheduler sees it. <see cref="CordonedBy"/> is whatever marks who took it out: Slurm's drain
/// reason, or the Kubernetes annotation remediation sets (null when cordoned by someone else). <see cref="Busy"/>:
/// work still runs on it (Slurm ALLOCATED, MIXED or COMPLETING), so a drain has not finished. <see cref="Reboot"/>:
/// a reboot the scheduler holds for the node (Slurm REBOOT_REQUESTED while jobs finish, REBOOT_ISSUED while it boots).
/// </summary>
public sealed record SchedulerNodeState(
    string Node, string State, bool Cordoned, string? CordonedBy, bool Busy = false, SchedulerReboot Reboot = SchedulerReboot.None,
    string? BootTime = null);

public enum SchedulerReboot
{
    None,
    Requested,
    Issued,

    /// <summary>The node did not come back within Slurm's ResumeTimeout; Slurm set it DOWN.</summary>
    TimedOut,
}
