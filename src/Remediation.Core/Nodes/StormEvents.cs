namespace Remediation.Core.Nodes;

// A storm holds a node between these two events; the identical repeats in between are counted in the storm's own
// stream (StormTallied), not here, so a node hit 80 times by a driver bug gets two events, not 80. They open and close
// the node's incident themselves, so the incidents, postmortems, stats and replay see every node a storm took.

/// <summary>
/// A storm took the node: the fault that brought it in, recorded in full, and what the storm does with the node.
/// <paramref name="IncidentId"/> is the node's incident the fault belongs to: its own open one, or, when the node was
/// healthy, one this event opens (<paramref name="Opened"/>) as an <c>IncidentOpened</c> would. A fabric storm only
/// watches a node it opened one for (Observing, until the let-go resolves it); an Xid storm hands it to a human
/// (<paramref name="HandedToHuman"/>, NeedsHuman). The storm (<paramref name="StormId"/>) is the incident the node is part
/// of. Null <paramref name="IncidentId"/>: an operator held the node with no incident, and it is left so.
/// </summary>
public sealed record NodeJoinedStorm(
    string NodeId, string StormId, string Reason, bool Fabric, string EventId, string Kind, int? Xid, string? Device, string? Message,
    string Fingerprint, string? IncidentId, bool Opened, bool HandedToHuman, DateTimeOffset ObservedAt, DateTimeOffset JoinedAt, string CausedBy,
    int? Sxid = null, int? Link = null, bool? Fatal = null);

/// <summary>
/// The storm let go of the node (it ended): how many identical repeats of <paramref name="Fingerprint"/> the node
/// reported while the storm held it (from <paramref name="JoinedAt"/> to <paramref name="LeftAt"/>), as the storm's
/// tallies counted them. <paramref name="ResolvedIncident"/>: the incident its join opened to watch the node, resolved
/// here; null when a human has the node's incident, or it was the node's own.
/// </summary>
public sealed record NodeLeftStorm(
    string NodeId, string StormId, string Fingerprint, long Absorbed, DateTimeOffset JoinedAt, DateTimeOffset LeftAt, string CausedBy,
    string? ResolvedIncident = null)
{
    /// <summary>What the resolved incident says it ended with, as an <c>IncidentResolved</c>'s resolution would.</summary>
    public string Resolution() => $"{StormId} over: let go after {Absorbed} repeat(s)";
}
