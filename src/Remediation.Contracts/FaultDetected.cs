namespace Remediation.Contracts;

/// <summary>
/// A node agent saw a fault. Published as plain JSON on exchange <see cref="Exchanges.Faults"/>. The last three
/// fields are optional (left out of the JSON when null), so publishers that predate them stay valid: an NVSwitch
/// SXid names its number, the NVLink port (<see cref="Link"/>) when the driver printed one, and whether the driver
/// called it fatal.
/// </summary>
public sealed record FaultDetected(
    string EventId,
    string NodeId,
    string Kind,
    int? Xid,
    string? Device,
    string? Message,
    DateTimeOffset ObservedAt,
    string? Source,
    string? Cluster,
    int? Sxid = null,
    int? Link = null,
    bool? Fatal = null);
