using System.Diagnostics;
using Remediation.Contracts;
using Remediation.Service.Hosting;
using Remediation.Core.Nodes;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// Sends what a commit decided, each send returning once the broker confirmed it: step commands to the node's agent,
/// and nudges to the instance holding a node that this instance wrote for it.
/// </summary>
public sealed class CommandPublisher(WireSender sender) : ICommandSender
{
    /// <summary>
    /// Sends the step with the deadline given, counted by the caller from now: waiting to be sent is not the agent's time.
    /// The command continues the trace of the input that dispatched it, and carries it to the agent.
    /// </summary>
    public async Task PublishAsync(StepDispatched step, DateTimeOffset deadline, CancellationToken ct)
    {
        using var span = Tracing.Source.StartActivity("step send", ActivityKind.Producer, LoopTracing.CauseOf(step));
        span?.SetTag("remediation.node", step.NodeId);
        span?.SetTag("remediation.command", step.CommandId);
        span?.SetTag("remediation.action", step.Action);
        var command = new StepRequested(step.CommandId, step.NodeId, step.IncidentId, step.Runbook, step.Step, step.Action, step.Args, deadline);
        await sender.SendAsync(BusTopology.Commands, new WireBytes(WireJson.Serialize(command)), routingKey: step.NodeId,
            headers: null, messageId: step.CommandId, ct);
    }

    /// <summary>Tells the node's holder, through the node's own partition queue (so in order), to reload it from the store.</summary>
    public async Task NudgeAsync(string nodeId, int partition, CancellationToken ct)
    {
        var headers = new Dictionary<string, string> { [BusTopology.InputHeader] = BusTopology.ReloadInput };
        var body = WireJson.Serialize(new { nodeId });
        await sender.SendAsync(BusTopology.Partition(partition), new WireBytes(body), routingKey: null, headers, messageId: null, ct);
    }

    /// <summary>Puts a fault on the faults exchange exactly as an agent would (the Alertmanager bridge).</summary>
    public Task PublishFaultAsync(FaultDetected fault, CancellationToken ct) =>
        sender.SendAsync(BusTopology.Faults, new WireBytes(WireJson.Serialize(fault)), routingKey: null, headers: null, fault.EventId, ct);

    /// <summary>Reports a step the service ran itself on the step-results exchange, exactly as an agent would.</summary>
    public Task PublishResultAsync(StepCompleted result, CancellationToken ct) =>
        sender.SendAsync(BusTopology.StepResults, new WireBytes(WireJson.Serialize(result)), routingKey: null, headers: null, result.CommandId, ct);
}
