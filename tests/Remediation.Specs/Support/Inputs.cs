using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs.Support;

/// <summary>What reaches the decider: an agent's fault or step result, a clock tick, an operator.</summary>
public static class Inputs
{
    public const string Gpu = "PCI:0000:3b:00";
    public const string Port = "mlx5_0/1";

    public static string KernelLine(int xid) => $"NVRM: Xid ({Gpu}): {xid}, pid=4242";

    public static FaultInput Xid(int xid, string eventId = "e-2") =>
        new(new FaultDetected(eventId, Node, FaultKinds.Xid, xid, Gpu, KernelLine(xid), T0, "kmsg", "train-a"));

    public static FaultInput Fault(string kind, string eventId = "e-2", string device = Port) =>
        new(new FaultDetected(eventId, Node, kind, null, device, $"{kind} on {device}", T0, "kmsg", "train-a"));

    public static StepResultInput Result(string commandId, string outcome, string? output = null) =>
        new(new StepCompleted(commandId, Node, outcome, outcome == StepOutcomes.Succeeded ? 0 : 1, output, T1));

    public static StepResultInput Ok(string commandId) => Result(commandId, StepOutcomes.Succeeded, "ok");

    public static StepResultInput Failed(string commandId) => Result(commandId, StepOutcomes.Failed, "exit 1");

    public static ClockTick Tick => new(Node);

    public static OperatorDecision Approve(string approvalId, string by = "alice") => new(Node, approvalId, true, by, null);

    public static OperatorDecision Reject(string approvalId, string by = "bob", string? reason = "not during the run") =>
        new(Node, approvalId, false, by, reason);
}
