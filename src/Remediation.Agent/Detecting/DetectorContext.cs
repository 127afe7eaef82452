using Remediation.Agent.Devices;
using Remediation.Agent.Running;

namespace Remediation.Agent.Detecting;

/// <summary>What every detector needs: where the host is, who we are, and a read-only way to run probes.</summary>
public sealed record DetectorContext(HostRoot Root, string NodeId, string? Cluster, ICommandRunner Probes, TimeProvider Clock)
{
    /// <summary>The kernel's id for this boot; counters that reset on reboot are identified within it.</summary>
    public string BootId => Root.ReadText(Devices.SysfsPaths.BootId) ?? "unknown-boot";

    public EdgeTracker Tracker(string source) => new(NodeId, Cluster, source, BootId, Clock);
}
