using Remediation.Contracts;

namespace Remediation.Faults.Scenarios;

/// <summary>The faults a scenario publishes. Seeded, so every run sends the same shapes.</summary>
public static class Workload
{
    public static string Node(int i) => $"gpu-node-{i:D5}";

    /// <summary>
    /// A storm of Xid 13 (NVIDIA: RESTART_APP, so recorded and nothing run). Most nodes get faults on distinct
    /// devices, each its own fingerprint and its own FaultReported, so every eventId can be found; every tenth node
    /// repeats one fault, which the service coalesces into counted FaultRepeated events.
    /// </summary>
    public static List<FaultDetected> Storm(int nodes, int perNode, int firstNode = 0)
    {
        var faults = new List<FaultDetected>(nodes * perNode);
        for (var round = 0; round < perNode; round++)
            for (var n = firstNode; n < firstNode + nodes; n++)
            {
                var device = n % 10 == 0 ? "PCI:0000:3b:00.0" : $"PCI:0000:{round + 16:x2}:00.0";
                faults.Add(Xid(Node(n), 13, device, "Graphics Engine Exception"));
            }
        return faults;
    }

    /// <summary>One fault per node that starts a runbook with a disruptive first step: reset, driver reload, reboot.</summary>
    public static List<FaultDetected> Runbooks(int nodes, int firstNode)
    {
        var faults = new List<FaultDetected>(nodes);
        for (var n = firstNode; n < firstNode + nodes; n++)
            faults.Add((n % 3) switch
            {
                0 => Xid(Node(n), 119, "PCI:0000:3b:00.0", "GSP RPC timeout"),
                1 => new FaultDetected(Guid.NewGuid().ToString(), Node(n), FaultKinds.DriverHang, null, null,
                    "NVRM: GPU driver is not responding", DateTimeOffset.UtcNow, "faults-suite", "faults"),
                _ => Xid(Node(n), 79, "PCI:0000:3b:00.0", "GPU has fallen off the bus."),
            });
        return faults;
    }

    public static FaultDetected Xid(string node, int xid, string device, string text) =>
        new(Guid.NewGuid().ToString(), node, FaultKinds.Xid, xid, device, $"NVRM: Xid ({device}): {xid}, {text}",
            DateTimeOffset.UtcNow, "faults-suite", "faults");

    public static List<byte[]> Bodies(IEnumerable<FaultDetected> faults) => faults.Select(f => WireJson.Serialize(f)).ToList();
}
