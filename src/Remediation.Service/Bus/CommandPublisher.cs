using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Service.Nodes;

namespace Remediation.Service.Bus;

/// <summary>Publishes committed step decisions to the node's agent, waiting for the broker's confirm.</summary>
public sealed class CommandPublisher(IChannel confirmedChannel)
{
    public async Task PublishAsync(StepDispatched step, CancellationToken ct)
    {
        var command = new StepRequested(step.CommandId, step.NodeId, step.IncidentId, step.Runbook, step.Step, step.Action, step.Args, step.Deadline);
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            MessageId = step.CommandId,
            Type = nameof(StepRequested),
        };
        await confirmedChannel.BasicPublishAsync(Exchanges.Commands, step.NodeId, mandatory: false, properties, WireJson.Serialize(command), ct);
    }
}
