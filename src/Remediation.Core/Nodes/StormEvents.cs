namespace Remediation.Core.Nodes;

// A storm holds a node between these two events; the identical repeats in between are counted in the storm's own
// stream (StormTallied), not here, so a node hit 80 times by a driver bug gets a handful of events, not 80. The node's
// incident is opened, handed over and resolved by the usual events beside them, so every reader of incidents sees it.

/// <summary>
/// A storm took the node: the fault that brought it in, recorded in full, and what the storm does with the node.
/// <paramref name="IncidentId"/> is the node's incident the fault belongs to: its own open one if it had one, else the
/// one an <c>IncidentOpened</c> right after opens for the storm's stay; the storm (<paramref name="StormId"/>) is the
/// incident the node is part of.
/// </summary>
public sealed record NodeJoinedStorm(
    string NodeId, string StormId, string Reason, bool Fabric, string EventId, string Kind, int? Xid, string? Device, string? Message,
    string Fingerprint, string IncidentId, DateTimeOffset ObservedAt, DateTimeOffset JoinedAt, string CausedBy,
    int? Sxid = null, int? Link = null, bool? Fatal = null);

/// <summary>
/// The storm let go of the node (it ended): how many identical repeats of <paramref name="Fingerprint"/> the node
/// reported while the storm held it (from <paramref name="JoinedAt"/> to <paramref name="LeftAt"/>), as the storm's
/// tallies counted them.
/// </summary>
public sealed record NodeLeftStorm(
    string NodeId, string StormId, string Fingerprint, long Absorbed, DateTimeOffset JoinedAt, DateTimeOffset LeftAt, string CausedBy);
