using Remediation.Contracts;

namespace Remediation.Cli.Benchmarking;

/// <summary>
/// The faults a benchmark publishes: mostly application Xids that are recorded and need nothing, one in twenty a
/// double-bit ECC error that opens an incident and dispatches a reset. observedAt is the publish time.
/// </summary>
public static class BenchWorkload
{
    public static byte[] Fault(int i, int nodes) =>
        WireJson.Serialize(new FaultDetected(
            $"bench-{i}-{Guid.NewGuid():N}", $"bench-node-{i % nodes:00000}", FaultKinds.Xid, i % 20 == 0 ? 48 : 13,
            $"PCI:0000:{i / nodes % 256:x2}:00", $"NVRM: Xid (PCI:0000:3b:00): {(i % 20 == 0 ? 48 : 13)}, pid={i}, name=python",
            DateTimeOffset.UtcNow, "bench", "bench"));
}
