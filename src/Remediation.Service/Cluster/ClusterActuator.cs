using System.Threading.Channels;
using Marten;
using RabbitMQ.Client;
using Remediation.Contracts;
using Remediation.Service.Bus;
using Remediation.Service.Cluster.Rma;
using Remediation.Service.Hosting;
using Remediation.Service.Incidents;
using Remediation.Service.Nodes;
using Remediation.Service.Runbooks;

namespace Remediation.Service.Cluster;

/// <summary>
/// Runs the steps that act on the cluster rather than on the node (cordon, uncordon, open an RMA ticket) inside the
/// service, and reports each result on <c>remediation.step-results</c> exactly as an agent would: the decider has
/// one path for results, and a step re-dispatched after a crash runs again safely (drain is idempotent, tickets
/// carry the commandId as their idempotency key).
/// </summary>
public sealed class ClusterActuator(
    IScheduler scheduler, RmaTickets tickets, IDocumentStore store, BusConnection bus, RemediationOptions options, ILogger<ClusterActuator> logger)
    : BackgroundService
{
    private readonly Channel<StepDispatched> _work = Channel.CreateUnbounded<StepDispatched>(new UnboundedChannelOptions { SingleReader = true });

    public static bool Handles(string action) => action is StepActions.Cordon or StepActions.Uncordon or StepActions.OpenRma;

    public void Run(StepDispatched step) => _work.Writer.TryWrite(step);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        IChannel? channel = null;
        await foreach (var step in _work.Reader.ReadAllAsync(ct))
        {
            var (ok, output) = await RunAsync(step, ct);
            var result = new StepCompleted(step.CommandId, step.NodeId, ok ? StepOutcomes.Succeeded : StepOutcomes.Failed,
                ok ? 0 : 1, output, DateTimeOffset.UtcNow);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    channel ??= await bus.CreateConfirmedChannelAsync(ct);
                    var properties = new BasicProperties { Persistent = true, ContentType = "application/json", MessageId = step.CommandId, UserId = BrokerUser.Of(options.RabbitMq) };
                    await channel.BasicPublishAsync(Exchanges.StepResults, "", mandatory: false, properties, WireJson.Serialize(result), ct);
                    break;
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // Without its result the step would time out and be counted as failed; the broker is worth waiting for.
                    channel = null;
                    logger.LogWarning("Publishing the result of {CommandId} failed ({Error}); retrying", step.CommandId, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), ct);
                }
            }
        }
    }

    private async Task<(bool Ok, string Output)> RunAsync(StepDispatched step, CancellationToken ct)
    {
        try
        {
            switch (step.Action)
            {
                case StepActions.Cordon:
                    var cordoned = await scheduler.CordonAsync(step.NodeId, step.IncidentId, ct);
                    return (cordoned.Succeeded, cordoned.Output);
                case StepActions.Uncordon:
                    var returned = await scheduler.UncordonAsync(step.NodeId, step.IncidentId, ct);
                    return (returned.Succeeded, returned.Output);
                default:
                    var ticket = await tickets.OpenAsync(await RequestAsync(step, ct), ct);
                    return (true, ticket.Url is null ? $"ticket {ticket.Id}" : $"ticket {ticket.Id} {ticket.Url}");
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("{Action} for {Node} failed: {Error}", step.Action, step.NodeId, e.Message);
            return (false, $"{step.Action} failed: {e.Message}");
        }
    }

    /// <summary>The ticket's evidence: the fault lines and the incident's part of the node's timeline.</summary>
    private async Task<RmaRequest> RequestAsync(StepDispatched step, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var incident = IncidentReader.Read(step.IncidentId, await query.Events.FetchStreamAsync(step.NodeId, token: ct));
        return new RmaRequest(step.CommandId, step.NodeId, step.IncidentId, GpuSerial: null, GpuUuid: null,
            step.Args.GetValueOrDefault("device"), incident?.Evidence ?? [], incident?.Events ?? []);
    }
}
