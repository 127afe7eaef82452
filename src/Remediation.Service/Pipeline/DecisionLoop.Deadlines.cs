using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Pipeline;

/// <summary>
/// When time alone moves a node on. A step's deadline runs from when its command was actually sent (the broker
/// confirmed it), not from when it was decided, and stops while the transport is down: a command that waited out a
/// broker outage, or a result that waited on the far side of one, never times a step out early, so a disruptive step
/// is never sent a second time for want of patience. A step another instance sent keeps its recorded deadline.
/// </summary>
public sealed partial class DecisionLoop
{
    private readonly Dictionary<string, (string CommandId, DateTimeOffset SentAt, TimeSpan Allowed)> _sent = [];

    /// <summary>A tick for the node, carrying its step's deadline as counted from the send.</summary>
    private ClockTick Tick(string nodeId) => new(nodeId, _nodes.TryGetValue(nodeId, out var state) ? StepDue(state) : null);

    /// <summary>When the step in flight times out: never while its command waits to be sent here or the transport is down.</summary>
    private DateTimeOffset? StepDue(NodeState state)
    {
        if (state.Incident?.Pending is not { } pending) return null;
        if (outages.IsDown || _undelivered.Any(s => s.CommandId == pending.CommandId)) return DateTimeOffset.MaxValue;
        return _sent.TryGetValue(state.Id, out var sent) && sent.CommandId == pending.CommandId
            ? sent.SentAt + sent.Allowed + outages.DownSince(sent.SentAt)
            : pending.Deadline;
    }

    private void WatchDeadline(string nodeId, NodeState state)
    {
        if (state.Incident?.Pending is null) _sent.Remove(nodeId);
        var step = StepDue(state);
        var due = NodeDecider.NextDeadline(state, step == DateTimeOffset.MaxValue ? null : step);
        if (due is { } at) _deadlines[nodeId] = at;
        else _deadlines.Remove(nodeId);
    }

    /// <summary>The broker took the step's command (or the cluster actuator its step): its time runs from now.</summary>
    private void Sent(StepDispatched step, DateTimeOffset sentAt)
    {
        _sent[step.NodeId] = (step.CommandId, sentAt, step.Deadline - step.DispatchedAt);
        if (_nodes.TryGetValue(step.NodeId, out var state) && Owns(step.NodeId)) WatchDeadline(step.NodeId, state);
    }
}
