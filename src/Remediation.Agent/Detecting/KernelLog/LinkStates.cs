using Remediation.Contracts;

namespace Remediation.Agent.Detecting.KernelLog;

/// <summary>
/// Turns link state lines into faults: going down is <c>link_down</c>, coming back after that is <c>link_flap</c>.
/// A link coming up that was never seen down (every boot) is not a fault, and the second view of the same port
/// (mlx5 logs both the netdev and the IB device) adds nothing.
/// </summary>
internal sealed class LinkStates
{
    // A node has a handful of ports; the bound keeps a stream of junk addresses from growing the set without end.
    private const int MaxTrackedPorts = 1024;
    private readonly HashSet<string> down = new(StringComparer.Ordinal);

    public KernelFinding? Observe(string device, bool isDown)
    {
        if (isDown)
        {
            if (down.Contains(device)) return null;
            if (down.Count < MaxTrackedPorts) down.Add(device);
            return new KernelFinding(FaultKinds.LinkDown, null, device);
        }
        return down.Remove(device) ? new KernelFinding(FaultKinds.LinkFlap, null, device) : null;
    }
}
