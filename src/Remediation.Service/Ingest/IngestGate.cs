using Remediation.Service.Hosting;

namespace Remediation.Service.Ingest;

/// <summary>
/// What ingest asks of every well-formed fault or step result before routing it: may its proven sender speak for the
/// node it names, and is that node one of the fleet's. The reason when not, for the invalid queue's header.
/// </summary>
public sealed class IngestGate(SenderCheck senders, Inventory inventory, RemediationMetrics metrics)
{
    public string? Refuse(string? userId, string nodeId)
    {
        if (senders.Refuse(userId, nodeId) is { } spoof)
        {
            metrics.SenderRefused();
            return spoof;
        }
        return inventory.Refuse(nodeId);
    }
}
