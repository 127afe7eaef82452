using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Partitions;

namespace Remediation.Service.Pipeline;

/// <summary>
/// What the decision loop waits on besides its inbox: the partitions it holds, each held node's next deadline, and the
/// nodes whose step waits for fleet budget. A step's deadline runs from when its command was actually sent (the broker
/// confirmed it), not from when it was decided, and stops while the transport is down: a command that waited out a
/// broker outage, or a result that waited on the far side of one, never times a step out early, so a disruptive step
/// is never sent a second time for want of patience. A step another instance sent keeps its recorded deadline.
/// Used from the loop only, so it takes no locks.
/// </summary>
public sealed class LoopSchedule(PartitionMap partitions, TransportOutages outages)
{
    private readonly HashSet<int> _owned = [];
    private readonly Dictionary<string, DateTimeOffset> _deadlines = [];
    private readonly Dictionary<string, (string CommandId, DateTimeOffset SentAt, TimeSpan Allowed)> _sent = [];
    private readonly HashSet<string> _budgetWaiting = [];

    /// <summary>Nodes whose next step waits until the fleet budget has room.</summary>
    public IReadOnlyCollection<string> BudgetWaiting => _budgetWaiting;

    public bool Owns(string nodeId) => _owned.Contains(partitions.Of(nodeId));

    public void Take(IEnumerable<int> taken) => _owned.UnionWith(taken);

    /// <summary>Forgets everything about the partitions' nodes; returns which node ids they cover, for the caller's caches.</summary>
    public Func<string, bool> LetGo(IReadOnlySet<int> released)
    {
        _owned.ExceptWith(released);
        bool Released(string id) => released.Contains(partitions.Of(id));
        foreach (var id in _deadlines.Keys.Where(Released).ToList()) _deadlines.Remove(id);
        foreach (var id in _sent.Keys.Where(Released).ToList()) _sent.Remove(id);
        _budgetWaiting.RemoveWhere(Released);
        return Released;
    }

    /// <summary>When the step in flight times out: never while its command waits to be sent or the transport is down.</summary>
    public DateTimeOffset? StepDue(NodeState state, bool waitingToBeSent)
    {
        if (state.Incident?.Pending is not { } pending) return null;
        if (outages.IsDown || waitingToBeSent) return DateTimeOffset.MaxValue;
        return _sent.TryGetValue(state.Id, out var sent) && sent.CommandId == pending.CommandId
            ? sent.SentAt + sent.Allowed + outages.DownSince(sent.SentAt)
            : pending.Deadline;
    }

    /// <summary>Takes the node's state as committed: its next deadline, and whether it waits for budget.</summary>
    public void Watch(NodeState state, bool waitingToBeSent)
    {
        if (state.Incident?.Pending is null) _sent.Remove(state.Id);
        var step = StepDue(state, waitingToBeSent);
        var due = NodeDecider.NextDeadline(state, step == DateTimeOffset.MaxValue ? null : step);
        if (due is { } at) _deadlines[state.Id] = at;
        else _deadlines.Remove(state.Id);
        if (state.Incident?.Deferred is { ByBudget: true }) _budgetWaiting.Add(state.Id);
        else _budgetWaiting.Remove(state.Id);
    }

    /// <summary>The broker took the step's command (or the cluster actuator its step): its time runs from <paramref name="sentAt"/>.</summary>
    public void Sent(StepDispatched step, DateTimeOffset sentAt, NodeState? state)
    {
        _sent[step.NodeId] = (step.CommandId, sentAt, step.Deadline - step.DispatchedAt);
        if (state is not null && Owns(step.NodeId)) Watch(state, waitingToBeSent: false);
    }

    public bool HasDeadline(string nodeId) => _deadlines.ContainsKey(nodeId);

    /// <summary>The nodes whose deadline has come.</summary>
    public IEnumerable<string> Due(DateTimeOffset now) => _deadlines.Where(d => d.Value <= now).Select(d => d.Key);
}
