using Remediation.Contracts;

namespace Remediation.Core.Nodes.Deciding;

/// <summary>
/// How much disruption the fleet can still take, as the decider sees it at one decision: nodes in disruptive steps
/// and nodes out of service (cordoned or in repair) against their limits. A step over budget waits.
/// </summary>
public sealed record FleetBudget(int Disruptive, int MaxDisruptive, int OutOfService, int MaxOutOfService)
{
    /// <summary>
    /// Steps that take a node's work away: they count against the budget while in flight. A Fabric Manager restart
    /// retrains the NVSwitch fabric under every job using NVLink on the node; a link bounce cuts the port's traffic.
    /// </summary>
    public static readonly IReadOnlySet<string> DisruptiveActions = new HashSet<string>
    {
        StepActions.Reboot, StepActions.SchedulerReboot, StepActions.DriverReload, StepActions.Cordon, StepActions.FabricManagerRestart, StepActions.LinkBounce,
    };

    public static bool IsDisruptive(NodeState state) => state.Incident?.Pending is { } p && DisruptiveActions.Contains(p.Action);

    public static bool IsOutOfService(NodeState state) =>
        state.Status is NodeStatus.Cordoned or NodeStatus.InRepair || state.Incident?.Cordoned == true;

    /// <summary>Why this action must wait, or null when the budget allows it.</summary>
    public string? Refuses(string action)
    {
        if (action == StepActions.Cordon && OutOfService >= MaxOutOfService)
            return $"fleet budget: {OutOfService} of {MaxOutOfService} nodes allowed out of service already are";
        if (DisruptiveActions.Contains(action) && Disruptive >= MaxDisruptive)
            return $"fleet budget: {Disruptive} of {MaxDisruptive} nodes allowed in disruptive steps already are";
        return null;
    }

    /// <summary>The budget after one node moved from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public FleetBudget After(NodeState before, NodeState after) => this with
    {
        Disruptive = Disruptive + (IsDisruptive(after) ? 1 : 0) - (IsDisruptive(before) ? 1 : 0),
        OutOfService = OutOfService + (IsOutOfService(after) ? 1 : 0) - (IsOutOfService(before) ? 1 : 0),
    };
}
