using Remediation.Contracts;
using Remediation.Service.Hosting;

namespace Remediation.Service.Bus;

/// <summary>Parks a message that cannot be used in its invalid queue, body untouched, with the reason in a header.</summary>
public sealed class InvalidMessages(WireSender sender, RemediationMetrics metrics, ILogger<InvalidMessages> logger)
{
    public async Task ParkAsync(string queue, ReadOnlyMemory<byte> body, string reason, CancellationToken ct)
    {
        var headers = new Dictionary<string, string> { [Exchanges.InvalidReasonHeader] = reason };
        await sender.SendAsync(BusTopology.Queue(queue), new WireBytes(body), routingKey: null, headers, messageId: null, ct);
        metrics.MessageParked(queue);
        logger.LogWarning("Parked a message in {Queue}: {Reason}", queue, reason);
    }
}
