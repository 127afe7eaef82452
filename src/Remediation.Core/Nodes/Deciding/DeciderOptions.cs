namespace Remediation.Core.Nodes.Deciding;

public sealed record DeciderOptions
{
    /// <summary>Identical faults on a node within this window that change nothing become one counted event.</summary>
    public TimeSpan CoalesceWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The same fault again within this window of its incident closing starts one rung higher.</summary>
    public TimeSpan RepeatWindow { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A GPU with this many incidents (this one included) within <see cref="LemonWindow"/> is a lemon: RMA it.</summary>
    public int LemonIncidents { get; init; } = 3;

    public TimeSpan LemonWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Where a lemon goes; no lemon rule when no runbook has this name.</summary>
    public string LemonRunbook { get; init; } = "cordon-and-rma";

    /// <summary>Grant risky steps by policy instead of waiting for an operator. Off by default.</summary>
    public bool AutoApprove { get; init; }

    /// <summary>Decide and record what would run, execute nothing, for every runbook (a runbook can ask for it alone).</summary>
    public bool Shadow { get; init; }

    /// <summary>The rungs the driver's GPU Recovery Action names: the ladder starts no lower than these.</summary>
    public string ResetRunbook { get; init; } = "gpu-reset";

    public string RebootRunbook { get; init; } = "reboot";

    /// <summary>How long after the agent found the node in use (GPU processes running) the step is tried again.</summary>
    public TimeSpan InUseRetry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a step waits for the node's work to leave before a human is asked; it never escalates.</summary>
    public TimeSpan InUseWait { get; init; } = TimeSpan.FromHours(4);

    /// <summary>
    /// The scheduler reboots nodes (Scheduler:Kind slurm): a runbook's <c>reboot</c> is dispatched as
    /// <c>scheduler_reboot</c>, which the service runs with scontrol instead of sending it to the agent.
    /// </summary>
    public bool RebootThroughScheduler { get; init; }

    /// <summary>Keys the unguessable part of commandIds; each process draws its own unless configured.</summary>
    public string CommandKey { get; init; } = CommandIds.NewKey();
}
