namespace Remediation.Core.Storms;

/// <summary>Many nodes faulting alike: one incident for all of them, in the <c>$storms</c> stream.</summary>
public sealed record StormDetected(
    string IncidentId, string Group, bool Fabric, IReadOnlyList<string> Nodes, string Reason, DateTimeOffset DetectedAt);
