namespace Remediation.Contracts;

/// <summary>
/// The <c>action</c> of a <see cref="StepRequested"/>: what runbooks name, the service dispatches and agents (or the
/// service, for scheduler and ticket actions) run. Part of the wire format, so agents in other languages hard-code them too.
/// </summary>
public static class StepActions
{
    public const string GpuReset = "gpu_reset";
    public const string DriverReload = "driver_reload";
    public const string Reboot = "reboot";
    public const string LinkBounce = "link_bounce";
    public const string GpuHealth = "gpu_health";
    public const string LinkCheck = "link_check";
    public const string NodeHealth = "node_health";
    public const string Cordon = "cordon";
    public const string OpenRma = "open_rma";
    public const string Uncordon = "uncordon";
    public const string FabricManagerRestart = "fabric_manager_restart";
    public const string CollectEvidence = "collect_evidence";

    /// <summary>A runbook's <see cref="Reboot"/> where the scheduler reboots nodes (Slurm): the service asks it, no agent runs it.</summary>
    public const string SchedulerReboot = "scheduler_reboot";

    /// <summary>The actions a runbook may name (<see cref="SchedulerReboot"/> is the service's choice, never a runbook's).</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>
    {
        GpuReset, DriverReload, Reboot, LinkBounce, GpuHealth, LinkCheck, NodeHealth, Cordon, OpenRma, Uncordon,
        FabricManagerRestart, CollectEvidence,
    };
}
