using Remediation.Contracts;
using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

public sealed partial class NodeDecider
{
    // A node a storm holds stays in it until the storm lets go (StormOver), whatever the watch knows right now: after a
    // restart, or on the instance that took over its partition, the watch may not have seen the storm's faults yet.
    private static bool IsStormFault(NodeState state, FaultDetected fault, Storm? storm) =>
        !state.RecentEventIds.Contains(fault.EventId) && (storm is not null || state.InStorm?.Fingerprint == Fingerprint(fault));

    /// <summary>
    /// A fault that is part of a storm is recorded against the storm, and the node is not acted on: cordoning every
    /// node behind a broken switch, or resetting every GPU hit by a driver bug, would make the outage bigger. The
    /// storm takes the node with one <see cref="NodeJoinedStorm"/>, which opens the node's incident as any fault's
    /// would; its identical repeats are then counted per storm, not per node.
    /// </summary>
    private void OnStormFault(Decision d, FaultDetected fault, Storm? storm, DateTimeOffset now)
    {
        var fingerprint = Fingerprint(fault);
        if (runbooks.Route(fault, FailedActions(d.State, now)) is RecordOnly or HandOver)
        {
            OnFault(d, fault, now);
            return;
        }
        switch (d.State.InStorm)
        {
            // Counted in the tallies of the storm that holds the node, whichever storm this fault was seen in.
            case { } held when held.Fingerprint == fingerprint:
                d.Coalesce(fingerprint);
                return;
            case { } held:
                OnOtherFaultInStorm(d, fault, fingerprint, held, storm, now);
                return;
        }
        if (storm is null)
        {
            OnFault(d, fault, now);
            return;
        }
        Join(d, fault, fingerprint, storm, now);
    }

    private static void Join(Decision d, FaultDetected fault, string fingerprint, Storm storm, DateTimeOffset now)
    {
        if (d.State is { Status: NodeStatus.Observing, Incident: { } observing })
            d.Emit(new IncidentResolved(d.State.Id, observing.Id, $"superseded by {storm.IncidentId}", now, "rule:storm"));
        // Only a healthy node gets an incident opened by the join: a busy one keeps its own, and one an operator holds
        // with none is the operator's.
        var opens = d.State.Status == NodeStatus.Healthy;
        var handOver = !storm.Fabric && opens;
        var reason = storm.Fabric ? $"{storm.Reason}; no node action"
            : handOver ? $"{storm.Reason}: automation stops here and asks a human"
            : $"{storm.Reason}; no escalation";
        var incidentId = opens ? $"inc-{d.State.Id}-{d.State.IncidentCount + 1}" : d.State.Incident?.Id;
        d.Emit(new NodeJoinedStorm(d.State.Id, storm.IncidentId, reason, storm.Fabric, fault.EventId, fault.Kind, fault.Xid, fault.Device,
            fault.Message, fingerprint, incidentId, opens, handOver, fault.ObservedAt, now, By(fault), fault.Sxid, fault.Link, fault.Fatal));
    }

    /// <summary>A fault on a node a storm holds that is not the storm's repeat: recorded in full, never acted on.</summary>
    private static void OnOtherFaultInStorm(Decision d, FaultDetected fault, string fingerprint, StormMembership held, Storm? storm, DateTimeOffset now)
    {
        var disposition = storm is { } seen ? $"part of {seen.IncidentId}: {seen.Reason}" : $"part of {held.StormId}";
        var fabric = storm?.Fabric ?? held.Fabric;
        Report(d, fault, fingerprint, d.State.Incident?.Id, fabric ? $"{disposition}; no node action" : $"{disposition}; no escalation", now, By(fault));
    }

    /// <summary>
    /// The storm ended: the node leaves it with the count of repeats it absorbed, resolving the incident its join opened
    /// to watch it; one a human has (an Xid storm's), or that something else replaced meanwhile, is left as it is.
    /// </summary>
    private static void OnStormOver(Decision d, StormOver over, DateTimeOffset now)
    {
        if (d.State.InStorm is not { } held || held.StormId != over.StormId) return;
        var watched = d.State is { Status: NodeStatus.Observing, Incident: { } incident } && incident.Id == held.OpenedIncident;
        d.Emit(new NodeLeftStorm(d.State.Id, held.StormId, held.Fingerprint, over.Absorbed, held.JoinedAt, now, "rule:storm",
            watched ? held.OpenedIncident : null));
    }

    private static string By(FaultDetected fault) => $"agent:{fault.Source ?? "unknown"}@{fault.NodeId}";
}
