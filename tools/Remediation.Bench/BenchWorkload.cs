using Remediation.Contracts;

namespace Remediation.Bench;

/// <summary>The faults the benchmark scenarios publish. observedAt is the publish time (storm faults carry the mark).</summary>
public static class BenchWorkload
{
    /// <summary>Mostly application Xids that are recorded and need nothing; one in twenty a double-bit ECC error that dispatches a reset.</summary>
    public static byte[] Fault(int i, int nodes) =>
        Xid($"bench-{i}-{Guid.NewGuid():N}", $"bench-node-{i % nodes:00000}", i % 20 == 0 ? 48 : 13, $"PCI:0000:{i / nodes % 256:x2}:00", DateTimeOffset.UtcNow);

    /// <summary>A double-bit ECC error on a node that has seen nothing else: a decision every time, never a repeat.</summary>
    public static byte[] Calm(int i) => Xid($"calm-{i}-{Guid.NewGuid():N}", $"calm-node-{i:000000}", 48, "PCI:0000:3b:00", DateTimeOffset.UtcNow);

    /// <summary>One InfiniBand port flapping on a node under the storming leaf switch.</summary>
    public static byte[] LinkFlap(int i, int nodes) =>
        WireJson.Serialize(new FaultDetected($"flap-{i}-{Guid.NewGuid():N}", $"leaf-node-{i % nodes:000}", FaultKinds.LinkFlap, null, "mlx5_0/1",
            "mlx5_0 port 1 link down/up", DateTimeOffset.UtcNow - LatencyRecorder.StormMark, "bench", "bench"));

    /// <summary>The same Xid on every node of the fleet at once: a driver bug.</summary>
    public static byte[] DriverBug(int i, int nodes) =>
        Xid($"bug-{i}-{Guid.NewGuid():N}", $"fleet-node-{i % nodes:00000}", 48, "PCI:0000:3b:00", DateTimeOffset.UtcNow - LatencyRecorder.StormMark);

    private static byte[] Xid(string eventId, string node, int xid, string device, DateTimeOffset observedAt) =>
        WireJson.Serialize(new FaultDetected(eventId, node, FaultKinds.Xid, xid, device,
            $"NVRM: Xid ({device}): {xid}, pid=1234, name=python", observedAt, "bench", "bench"));
}
