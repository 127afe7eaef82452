using Remediation.Service.Repair.Kubernetes;
using Remediation.Service.Repair.Slurm;

namespace Remediation.Service.Repair;

/// <summary>Configuration section <c>Scheduler</c>: which scheduler holds the nodes, and how to reach it.</summary>
public sealed class SchedulerOptions
{
    public const string None = "none";
    public const string SlurmKind = "slurm";
    public const string KubernetesKind = "kubernetes";

    public string Kind { get; set; } = None;

    /// <summary>Slurm reboots nodes itself (<c>scontrol reboot ASAP</c>); the others leave reboots to the node's agent.</summary>
    public static bool Reboots(IConfiguration config) =>
        string.Equals(config["Scheduler:Kind"], SlurmKind, StringComparison.OrdinalIgnoreCase);

    /// <summary>How often a cordon asks again whether the node's work has left (Slurm DRAINED, pods gone).</summary>
    public TimeSpan DrainPoll { get; set; } = TimeSpan.FromSeconds(15);
    public SlurmOptions Slurm { get; set; } = new();
    public KubernetesOptions Kubernetes { get; set; } = new();
}
