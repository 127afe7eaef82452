using Remediation.Service.Api;

namespace Remediation.Service.Cluster.Rma;

/// <summary>
/// What a ticket is opened with. <see cref="CommandId"/> is the idempotency key: the step that opens the ticket is
/// re-dispatched after a crash with the same command id, and the ticket system must answer with the same ticket.
/// </summary>
public sealed record RmaRequest(
    string CommandId,
    string NodeId,
    string? IncidentId,
    string? GpuSerial,
    string? GpuUuid,
    string? PciAddress,
    IReadOnlyList<string> FaultLines,
    IReadOnlyList<TimelineEntry> Timeline);

/// <summary>The ticket the webhook opened (or had already opened for this idempotency key).</summary>
public sealed record RmaTicket(string Id, string? Url);

/// <summary>The ticket could not be opened; the message says what the webhook did.</summary>
public sealed class RmaTicketException(string message, Exception? inner = null) : Exception(message, inner);
