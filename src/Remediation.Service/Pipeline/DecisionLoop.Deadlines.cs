using Remediation.Service.Nodes;
using Remediation.Service.Nodes.Deciding;

namespace Remediation.Service.Pipeline;

/// <summary>
/// When time alone moves a node on. A step's deadline runs from when its command was actually sent (the broker
/// confirmed it), not from when it was decided: a command that waited out a broker outage, or a result that waited in
/// a backlog, never times a step out early, so a disruptive step is never sent a second time for want of patience.
/// </summary>
public sealed partial class DecisionLoop
{
    private readonly Dictionary<string, (string CommandId, DateTimeOffset Due)> _stepDue = [];

    /// <summary>A tick for the node, carrying its step's deadline as counted from the send.</summary>
    private ClockTick Tick(string nodeId) => new(nodeId, _nodes.TryGetValue(nodeId, out var state) ? StepDue(state) : null);

    /// <summary>When the step in flight times out; never while its command has not been sent.</summary>
    private DateTimeOffset? StepDue(NodeState state)
    {
        if (state.Incident?.Pending is not { } pending) return null;
        return _stepDue.TryGetValue(state.Id, out var sent) && sent.CommandId == pending.CommandId ? sent.Due : DateTimeOffset.MaxValue;
    }

    private void WatchDeadline(string nodeId, NodeState state)
    {
        if (state.Incident?.Pending is null) _stepDue.Remove(nodeId);
        var due = NodeDecider.NextDeadline(state, StepDue(state) is { } step && step != DateTimeOffset.MaxValue ? step : null);
        if (due is { } at) _deadlines[nodeId] = at;
        else _deadlines.Remove(nodeId);
    }

    /// <summary>The broker took the step's command (or the cluster actuator its step): its time runs from now.</summary>
    private void Sent(StepDispatched step, DateTimeOffset due)
    {
        _stepDue[step.NodeId] = (step.CommandId, due);
        if (_nodes.TryGetValue(step.NodeId, out var state) && Owns(step.NodeId)) WatchDeadline(step.NodeId, state);
    }
}
