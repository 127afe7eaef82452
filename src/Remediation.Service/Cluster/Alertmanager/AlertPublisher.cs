using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;

namespace Remediation.Service.Cluster.Alertmanager;

/// <summary>
/// Puts alert faults on <see cref="Exchanges.Faults"/> exactly as an agent would, so they take the same path:
/// ingest, dedupe by eventId, the node's state machine. Waits for the broker's confirms before the webhook
/// answers, so Alertmanager retries whatever the broker did not take.
/// </summary>
public sealed class AlertPublisher(BusConnection bus, RemediationOptions options)
{
    public async Task PublishAsync(IReadOnlyList<FaultDetected> faults, CancellationToken ct)
    {
        if (faults.Count == 0) return;
        // Webhook calls are rare (one per group_interval), so a channel per call is simpler than sharing one.
        var channel = await bus.CreateConfirmedChannelAsync(ct);
        try
        {
            await PublishOnAsync(channel, faults, ct);
        }
        finally
        {
            await bus.ReleaseAsync(channel);
        }
    }

    private async Task PublishOnAsync(IChannel channel, IReadOnlyList<FaultDetected> faults, CancellationToken ct)
    {
        foreach (var fault in faults)
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                MessageId = fault.EventId,
                Type = nameof(FaultDetected),
                UserId = BrokerUser.Of(options.RabbitMq),
            };
            await channel.BasicPublishAsync(Exchanges.Faults, "", mandatory: false, properties, WireJson.Serialize(fault), ct);
        }
    }
}
