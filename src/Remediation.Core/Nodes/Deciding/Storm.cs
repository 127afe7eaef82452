namespace Remediation.Core.Nodes.Deciding;

/// <summary>
/// Many nodes faulting alike at once, as the fleet-wide storm watch saw it when this fault arrived. A fabric storm
/// (link faults under one switch or rack) is one fabric incident, not node incidents; an Xid storm (one Xid on many
/// nodes: a driver or firmware bug) stops automation and asks a human.
/// </summary>
public sealed record Storm(string IncidentId, string Reason, bool Fabric);
