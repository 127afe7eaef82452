using Remediation.Core.Nodes;
using Remediation.Service.Incidents;

namespace Remediation.Service.Repair.Rma;

/// <summary>
/// What a ticket is opened with. <see cref="CommandId"/> is the idempotency key: the step that opens the ticket is
/// re-dispatched after a crash with the same command id, and the ticket system must answer with the same ticket.
/// The faulted GPU's serial and UUID, every GPU the agent named, and the bug report it kept on the node come from the
/// incident's <see cref="EvidenceCollected"/>.
/// </summary>
public sealed record RmaRequest(
    string CommandId,
    string NodeId,
    string? IncidentId,
    string? GpuSerial,
    string? GpuUuid,
    string? PciAddress,
    IReadOnlyList<string> FaultLines,
    IReadOnlyList<TimelineEntry> Timeline,
    string? BugReport = null,
    IReadOnlyList<GpuIdentity>? Gpus = null)
{
    /// <summary>The request for the faulted <paramref name="device"/> (kernel spelling or PCI address) from the incident's trail.</summary>
    public static RmaRequest For(
        string commandId, string nodeId, string? incidentId, string? device, IReadOnlyList<string> faultLines, IReadOnlyList<TimelineEntry> timeline)
    {
        var evidence = timeline.Select(e => e.Data).OfType<EvidenceCollected>().LastOrDefault();
        var gpu = evidence?.Gpus.FirstOrDefault(g => g.Is(device));
        return new RmaRequest(commandId, nodeId, incidentId, gpu?.Serial, gpu?.Uuid, gpu?.Pci ?? device, faultLines, timeline,
            evidence?.BugReport ?? evidence?.Problem, evidence?.Gpus);
    }
}

/// <summary>The ticket the webhook opened (or had already opened for this idempotency key).</summary>
public sealed record RmaTicket(string Id, string? Url);

/// <summary>The ticket could not be opened; the message says what the webhook did.</summary>
public sealed class RmaTicketException(string message, Exception? inner = null) : Exception(message, inner);
