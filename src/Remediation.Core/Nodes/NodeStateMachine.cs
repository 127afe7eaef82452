using System.Collections.Frozen;
using Stateless;
using Stateless.Graph;

namespace Remediation.Core.Nodes;

/// <summary>
/// The node lifecycle as a Stateless transition table. It holds no side effects: the decider asks it whether a
/// transition is allowed, and <see cref="NodeEvolution"/> asks it where an event leads. The table is read once
/// from the configured machine so the hot path does not build a machine per message.
/// </summary>
public static class NodeStateMachine
{
    private static readonly FrozenDictionary<(NodeStatus, NodeTrigger), NodeStatus> Transitions = ReadTransitions();

    public static StateMachine<NodeStatus, NodeTrigger> Create(Func<NodeStatus> read, Action<NodeStatus> write)
    {
        var machine = new StateMachine<NodeStatus, NodeTrigger>(read, write);
        machine.Configure(NodeStatus.Healthy)
            .Permit(NodeTrigger.Observe, NodeStatus.Observing)
            .Permit(NodeTrigger.StartRunbook, NodeStatus.Remediating)
            .Permit(NodeTrigger.HandOver, NodeStatus.NeedsHuman);
        machine.Configure(NodeStatus.Observing)
            .Permit(NodeTrigger.StartRunbook, NodeStatus.Remediating)
            .Permit(NodeTrigger.Resolve, NodeStatus.Healthy)
            .Permit(NodeTrigger.HandOver, NodeStatus.NeedsHuman);
        machine.Configure(NodeStatus.Remediating)
            .PermitReentry(NodeTrigger.StartRunbook)
            .Permit(NodeTrigger.RequestApproval, NodeStatus.AwaitingApproval)
            .Permit(NodeTrigger.Verify, NodeStatus.Verifying)
            .Permit(NodeTrigger.Cordon, NodeStatus.Cordoned)
            .Permit(NodeTrigger.Resolve, NodeStatus.Healthy)
            .Permit(NodeTrigger.HandOver, NodeStatus.NeedsHuman);
        machine.Configure(NodeStatus.AwaitingApproval)
            .Permit(NodeTrigger.StartRunbook, NodeStatus.Remediating)
            .Permit(NodeTrigger.GrantApproval, NodeStatus.Remediating)
            .Permit(NodeTrigger.HandOver, NodeStatus.NeedsHuman);
        machine.Configure(NodeStatus.Verifying)
            .PermitReentry(NodeTrigger.Verify)
            .Permit(NodeTrigger.StartRunbook, NodeStatus.Remediating)
            .Permit(NodeTrigger.Resolve, NodeStatus.Healthy)
            .Permit(NodeTrigger.FailVerification, NodeStatus.Remediating)
            .Permit(NodeTrigger.HandOver, NodeStatus.NeedsHuman);
        machine.Configure(NodeStatus.Cordoned)
            .Permit(NodeTrigger.RequestRma, NodeStatus.InRepair)
            .Permit(NodeTrigger.HandOver, NodeStatus.NeedsHuman);
        machine.Configure(NodeStatus.InRepair)
            .Permit(NodeTrigger.CloseRma, NodeStatus.Remediating)
            .Permit(NodeTrigger.HandOver, NodeStatus.NeedsHuman);
        machine.Configure(NodeStatus.NeedsHuman)
            .Permit(NodeTrigger.Release, NodeStatus.Healthy);
        // An operator may take any node away from automation.
        foreach (var status in Enum.GetValues<NodeStatus>().Where(s => s != NodeStatus.NeedsHuman))
            machine.Configure(status).Permit(NodeTrigger.Hold, NodeStatus.NeedsHuman);
        return machine;
    }

    public static bool CanFire(NodeStatus from, NodeTrigger trigger) => Transitions.ContainsKey((from, trigger));

    public static NodeStatus Next(NodeStatus from, NodeTrigger trigger) =>
        Transitions.TryGetValue((from, trigger), out var to)
            ? to
            : throw new InvalidOperationException($"No transition from {from} on {trigger}: the stream holds an event the state machine forbids.");

    public static string ToMermaid()
    {
        var status = NodeStatus.Healthy;
        return MermaidGraph.Format(Create(() => status, s => status = s).GetInfo());
    }

    private static FrozenDictionary<(NodeStatus, NodeTrigger), NodeStatus> ReadTransitions()
    {
        var status = NodeStatus.Healthy;
        var info = Create(() => status, s => status = s).GetInfo();
        return info.States
            .SelectMany(state => state.FixedTransitions.Select(t => (
                Key: ((NodeStatus)state.UnderlyingState, (NodeTrigger)t.Trigger.UnderlyingTrigger),
                To: (NodeStatus)t.DestinationState.UnderlyingState)))
            .ToFrozenDictionary(x => x.Key, x => x.To);
    }
}
