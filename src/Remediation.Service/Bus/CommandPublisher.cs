using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Service.Nodes;
using Remediation.Service.Partitions;

namespace Remediation.Service.Bus;

/// <summary>
/// Publishes what a commit decided, waiting for the broker's confirm: step commands to the node's agent, and nudges
/// to the instance holding a node that this instance wrote for it.
/// </summary>
public sealed class CommandPublisher(IChannel confirmedChannel)
{
    public IChannel Channel => confirmedChannel;

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

    /// <summary>Tells the node's holder, through the node's own partition queue (so in order), to reload it from the store.</summary>
    public async Task NudgeAsync(string nodeId, int partition, CancellationToken ct)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "text/plain",
            Headers = new Dictionary<string, object?> { [PartitionRouter.InputHeader] = PartitionRouter.ReloadInput },
        };
        await confirmedChannel.BasicPublishAsync(PartitionMap.Exchange, PartitionMap.RoutingKey(partition), mandatory: false, properties,
            System.Text.Encoding.UTF8.GetBytes(nodeId), ct);
    }
}
