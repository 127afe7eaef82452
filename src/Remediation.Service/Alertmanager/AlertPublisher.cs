using Remediation.Contracts;
using Remediation.Service.Bus;

namespace Remediation.Service.Alertmanager;

/// <summary>
/// Puts alert faults on <see cref="Exchanges.Faults"/> exactly as an agent would, so they take the same path:
/// ingest, dedupe by eventId, the node's state machine. Waits for the broker's confirms before the webhook
/// answers, so Alertmanager retries whatever the broker did not take.
/// </summary>
public sealed class AlertPublisher(CommandPublisher bus)
{
    public async Task PublishAsync(IReadOnlyList<FaultDetected> faults, CancellationToken ct)
    {
        foreach (var fault in faults) await bus.PublishFaultAsync(fault, ct);
    }
}
