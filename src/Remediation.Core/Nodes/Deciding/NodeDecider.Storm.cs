using Remediation.Contracts;
using Remediation.Core.Runbooks;

namespace Remediation.Core.Nodes.Deciding;

public sealed partial class NodeDecider
{
    /// <summary>
    /// A fault that is part of a storm is recorded against the storm, and the node is not acted on: cordoning every
    /// node behind a broken switch, or resetting every GPU hit by a driver bug, would make the outage bigger. The
    /// storm takes the node with one event; its identical repeats are then counted per storm, not per node.
    /// </summary>
    private void OnStormFault(Decision d, FaultDetected fault, Storm storm, DateTimeOffset now)
    {
        var fingerprint = Fingerprint(fault);
        if (runbooks.Route(fault, FailedActions(d.State, now)) is RecordOnly or HandOver)
        {
            OnFault(d, fault, now);
            return;
        }
        switch (d.State.InStorm)
        {
            case { } held when held.StormId == storm.IncidentId && held.Fingerprint == fingerprint:
                d.Coalesce(fingerprint);
                return;
            case { } held when held.StormId == storm.IncidentId:
                OnOtherFaultInStorm(d, fault, fingerprint, storm, now);
                return;
            case { }:
                // Held by another storm (the switch's and the rack's, say): decided as before this storm took nodes.
                if (IsRepeatInStorm(d.State, fingerprint, now)) d.Coalesce(fingerprint);
                else OnOtherFaultInStorm(d, fault, fingerprint, storm, now);
                return;
        }
        if (d.State is { Status: NodeStatus.Observing, Incident: { } observing })
            d.Emit(new IncidentResolved(d.State.Id, observing.Id, $"superseded by {storm.IncidentId}", now, "rule:storm"));
        var handOver = !storm.Fabric && d.State.Status == NodeStatus.Healthy;
        var reason = storm.Fabric ? $"{storm.Reason}; no node action"
            : handOver ? $"{storm.Reason}: automation stops here and asks a human"
            : $"{storm.Reason}; no escalation";
        d.Emit(new NodeJoinedStorm(d.State.Id, storm.IncidentId, reason, storm.Fabric, fault.EventId, fault.Kind, fault.Xid, fault.Device,
            fault.Message, fingerprint, d.State.Incident?.Id, handOver, fault.ObservedAt, now, By(fault), fault.Sxid, fault.Link, fault.Fatal));
    }

    /// <summary>A fault on a node the storm holds that is not the storm's repeat: recorded in full, never acted on.</summary>
    private static void OnOtherFaultInStorm(Decision d, FaultDetected fault, string fingerprint, Storm storm, DateTimeOffset now)
    {
        var disposition = $"part of {storm.IncidentId}: {storm.Reason}";
        Report(d, fault, fingerprint, d.State.Incident?.Id, storm.Fabric ? $"{disposition}; no node action" : $"{disposition}; no escalation", now, By(fault));
    }

    private static void OnStormOver(Decision d, StormOver over, DateTimeOffset now)
    {
        if (d.State.InStorm is not { } held || held.StormId != over.StormId) return;
        d.Emit(new NodeLeftStorm(d.State.Id, held.StormId, held.Fingerprint, over.Absorbed, held.JoinedAt, now, "rule:storm"));
    }

    // Repeats on a node another storm holds are counted on the node, as before storm-level folding.
    private bool IsRepeatInStorm(NodeState state, string fingerprint, DateTimeOffset now) =>
        state is { LastFault: { } last, Status: not NodeStatus.Observing }
        && last.Fingerprint == fingerprint && now - last.RecordedAt < options.CoalesceWindow;

    private static string By(FaultDetected fault) => $"agent:{fault.Source ?? "unknown"}@{fault.NodeId}";
}
