namespace Remediation.Service.Cluster;

/// <summary>
/// A node as its scheduler sees it. <see cref="CordonedBy"/> is whatever marks who took it out: Slurm's drain
/// reason, or the Kubernetes annotation remediation sets (null when cordoned by someone else). <see cref="Busy"/>:
/// work still runs on it (Slurm ALLOCATED, MIXED or COMPLETING), so a drain has not finished.
/// </summary>
public sealed record SchedulerNodeState(string Node, string State, bool Cordoned, string? CordonedBy, bool Busy = false);
