using Remediation.Contracts;
using Remediation.Service.Nodes;
using Remediation.Service.Nodes.Deciding;
using Remediation.Service.Runbooks;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Specs;

/// <summary>Given events on a node, when an input arrives, then these events: the decider with no servers.</summary>
public sealed class Spec(params object[] given)
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly RunbookSet Runbooks = RunbookLoader.LoadDirectory(RepoPaths.Runbooks);

    public const string Node = "gpu-node-017";

    public static Spec Given(params object[] events) => new(events);

    public Decision When(NodeInput input, DateTimeOffset? at = null, bool autoApprove = true) =>
        new NodeDecider(Runbooks, new DeciderOptions { AutoApprove = autoApprove })
            .Decide(NodeEvolution.Fold(Node, given), input, at ?? T0);

    public static FaultInput Xid(int xid, string eventId = "e-1") =>
        new(new FaultDetected(eventId, Node, FaultKinds.Xid, xid, "PCI:0000:3b:00", $"NVRM: Xid (PCI:0000:3b:00): {xid}", T0, "kmsg", "a"));

    public static FaultInput Fault(string kind, string eventId = "e-1") =>
        new(new FaultDetected(eventId, Node, kind, null, "mlx5_0/1", kind, T0, "agent", "a"));

    public static StepResultInput Result(string commandId, string outcome) =>
        new(new StepCompleted(commandId, Node, outcome, outcome == StepOutcomes.Succeeded ? 0 : 1, "out", T0));

    public static IEnumerable<string> Types(Decision d) => d.Events.Select(e => e.GetType().Name);
}
