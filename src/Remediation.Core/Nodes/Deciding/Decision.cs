namespace Remediation.Core.Nodes.Deciding;

/// <summary>The events one input produced, with the state they fold into, built one event at a time.</summary>
public sealed class Decision(NodeState state, AutomationPause? pause = null, FleetBudget? budget = null)
{
    private readonly List<object> _events = [];

    public NodeState State { get; private set; } = state;

    public IReadOnlyList<object> Events => _events;

    /// <summary>Set while automation is paused fleet-wide: decisions are recorded, steps are deferred.</summary>
    public AutomationPause? Pause { get; } = pause;

    /// <summary>What the fleet can still take; null when no budget applies (specs, tools).</summary>
    public FleetBudget? Budget { get; } = budget;

    /// <summary>Set when the input repeated a recorded fault and changed nothing: the caller counts it instead.</summary>
    public string? CoalescedFingerprint { get; private set; }

    /// <summary>Set when an operator's request could not be applied; no events are produced then.</summary>
    public string? Refusal { get; private set; }

    public void Emit(object @event)
    {
        State = NodeEvolution.Evolve(State, @event);
        _events.Add(@event);
    }

    public void Coalesce(string fingerprint) => CoalescedFingerprint = fingerprint;

    public void Refuse(string reason) => Refusal = reason;
}
