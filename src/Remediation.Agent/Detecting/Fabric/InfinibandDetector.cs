using Remediation.Agent.Devices;
using Remediation.Contracts;

namespace Remediation.Agent.Detecting.Fabric;

/// <summary>
/// InfiniBand and RoCE ports from sysfs. A port leaving ACTIVE is <c>link_down</c>; a <c>link_downed</c> (or, for
/// RoCE, netdev <c>carrier_changes</c>) rise on a port that is ACTIVE again is a flap that happened between polls.
/// A port already down when the agent starts (an unused port) is the baseline, not a fault.
/// </summary>
public sealed class InfinibandDetector(DetectorContext context) : IDetector
{
    private readonly EdgeTracker _tracker = context.Tracker("sysfs-infiniband");

    public string Name => "infiniband";

    public Task<IReadOnlyList<FaultDetected>> PollAsync(CancellationToken ct) =>
        Task.FromResult(_tracker.Observe(IbPort.All(context.Root).SelectMany(Conditions)));

    private IEnumerable<Condition> Conditions(IbPort port)
    {
        if (!port.IsActive)
            yield return new Condition($"down:{port.Name}", FaultKinds.LinkDown, port.Name,
                $"{port.Name} state {port.State}, physical state {port.PhysState}") { Baseline = true };

        if (port.LinkDowned is { } downed)
            yield return new Condition($"downed:{port.Name}", FaultKinds.LinkFlap, port.Name,
                $"{port.Name} link_downed counter rose to {downed}; port is {port.State} again", downed)
            { Baseline = true, Silent = !port.IsActive };

        if (port.IsEthernet && port.CarrierChanges(context.Root) is { } changes)
            yield return new Condition($"carrier:{port.Name}", FaultKinds.LinkFlap, port.Name,
                $"{port.Name} ({port.Netdev}) carrier changed {changes} times; port is {port.State} again", changes)
            { Baseline = true, Silent = !port.IsActive };
    }
}
