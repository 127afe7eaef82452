using Marten;
using Remediation.Core.Nodes;
using Remediation.Service.Automation;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Observability;

/// <summary>
/// Samples what counters cannot say: nodes by state, approvals waiting and their age, the pipeline's lag and the
/// broker's backlog. Read from the store and the broker every few seconds, so scrapes stay cheap.
/// </summary>
public sealed class FleetGauges(
    IDocumentStore store, QueueDepths queues, DecisionLoop loop, AutomationSwitch automation, RemediationMetrics metrics,
    TimeProvider clock, ILogger<FleetGauges> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await SampleAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("Sampling the fleet gauges failed: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        metrics.PipelineLag(loop.Lag(now));
        metrics.AutomationPaused(automation.Current is not null);
        await using (var query = store.QuerySession())
        {
            foreach (var status in Enum.GetValues<NodeStatus>())
                metrics.NodesInState(status.ToString(), await query.Query<NodeState>().CountAsync(n => n.Status == status, ct));
            var waiting = await query.Query<NodeState>().Where(n => n.Status == NodeStatus.AwaitingApproval).ToListAsync(ct);
            var asked = waiting.Select(n => n.Incident?.Approval?.RequestedAt).OfType<DateTimeOffset>().ToList();
            metrics.ApprovalsWaiting(waiting.Count, asked.Count == 0 ? TimeSpan.Zero : now - asked.Min());
        }
        if (await queues.ReadAsync(ct) is not { } depths) return;
        foreach (var (queue, messages) in depths) metrics.QueueDepth(queue, messages);
    }
}
