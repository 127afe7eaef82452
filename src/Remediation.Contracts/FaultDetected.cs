namespace Remediation.Contracts;

/// <summary>A node agent saw a fault. Published as plain JSON on exchange <see cref="Exchanges.Faults"/>.</summary>
public sealed record FaultDetected(
    string EventId,
    string NodeId,
    string Kind,
    int? Xid,
    string? Device,
    string? Message,
    DateTimeOffset ObservedAt,
    string? Source,
    string? Cluster);
