using Remediation.Contracts;

namespace Remediation.Simulator;

/// <summary>
/// A realistic morning on a 64-node training cluster. The Xid lines are the kernel's own wording; which steps fail
/// is chosen so the demo shows a clean fix, an escalation, an RMA, dampening and an application fault.
/// </summary>
public static class DemoScenario
{
    public static IReadOnlyList<string> Nodes(int count) =>
        Enumerable.Range(1, count).Select(i => $"gpu-node-{i:000}").ToList();

    /// <summary>(node, action) pairs whose step fails in the simulation.</summary>
    public static readonly HashSet<(string Node, string Action)> Failing =
    [
        ("gpu-node-017", StepActions.GpuReset),
        ("gpu-node-031", StepActions.GpuReset), ("gpu-node-031", StepActions.DriverReload), ("gpu-node-031", StepActions.Reboot),
    ];

    public static bool Succeeds(StepRequested step) => !Failing.Contains((step.NodeId, step.Action));

    public static IEnumerable<FaultDetected> Faults(DateTimeOffset now)
    {
        FaultDetected Xid(string node, int xid, string device, string text) =>
            new(Guid.NewGuid().ToString(), node, FaultKinds.Xid, xid, device, $"NVRM: Xid ({device}): {xid}, {text}", now, "kmsg", "train-a");
        FaultDetected Other(string node, string kind, string device, string text) =>
            new(Guid.NewGuid().ToString(), node, kind, null, device, text, now, "agent", "train-a");

        yield return Xid("gpu-node-003", 79, "PCI:0000:3b:00", "pid='<unknown>', name=<unknown>, GPU has fallen off the bus.");
        yield return Xid("gpu-node-011", 48, "PCI:0000:86:00", "pid=40211, name=python, An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at partition 6, subpartition 0.");
        yield return Xid("gpu-node-017", 119, "PCI:0000:18:00", "pid=1172, name=python3, Timeout after 6s of waiting for RPC response from GPU0 GSP! Expected function 76 (GSP_RM_CONTROL) (0x20800a4c 0x4).");
        yield return Xid("gpu-node-023", 63, "PCI:0000:af:00", "pid=8841, name=pt_main_thread, Row Remapper: New row marked for remapping, reset gpu to activate.");
        yield return Xid("gpu-node-029", 13, "PCI:0000:3b:00", "pid=30311, name=python, Graphics Exception: ESR 0x50da30=0x8e0006 0x50da34=0x0 0x50da28=0x0 0x50da2c=0x0");
        yield return Xid("gpu-node-031", 48, "PCI:0000:db:00", "pid=55102, name=python, An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at partition 2, subpartition 1.");
        yield return Other("gpu-node-042", FaultKinds.LinkFlap, "mlx5_2/1", "mlx5_core 0000:4b:00.0: Port module event: module 0, Cable plugged; link down then up");
        for (var i = 0; i < 4; i++)
            yield return Other("gpu-node-047", FaultKinds.LinkFlap, "mlx5_0/1", "mlx5_core 0000:0c:00.0 ibp12s0: Link down; Link up");
        yield return Other("gpu-node-053", FaultKinds.DriverHang, "PCI:0000:3b:00", "NVRM: GPU 0000:3b:00.0: RmInitAdapter failed! (0x62:0x55:2477)");
        // A flapping link keeps reporting while its runbook runs: these repeats are counted, not recorded one by one.
        for (var i = 0; i < 40; i++)
            yield return Other("gpu-node-047", FaultKinds.LinkFlap, "mlx5_0/1", "mlx5_core 0000:0c:00.0 ibp12s0: Link down; Link up");
    }
}
