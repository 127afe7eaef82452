using System.Diagnostics;
using System.Threading.Channels;
using Marten;
using Remediation.Contracts;
using Remediation.Core.Nodes;
using Remediation.Core.Runbooks;
using Remediation.Service.Bus;
using Remediation.Service.Repair.Rma;
using Remediation.Service.Hosting;
using Remediation.Service.Incidents;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Repair;

/// <summary>
/// Runs the steps that act on the cluster rather than on the node (cordon, uncordon, open an RMA ticket) inside the
/// service, and reports each result on <c>remediation.step-results</c> exactly as an agent would: the decider has
/// one path for results, and a step re-dispatched after a crash runs again safely (drain is idempotent, tickets
/// carry the commandId as their idempotency key). Steps of different nodes run side by side, each within its
/// deadline; a cordon waits for the node's work to leave and, when it has not by the deadline, answers "in use". A
/// reboot through the scheduler (Slurm) succeeds only once the scheduler has seen the node come back from it.
/// </summary>
public sealed class ClusterActuator(
    IScheduler scheduler, SchedulerOptions scheduling, RmaTickets tickets, IDocumentStore store, CommandPublisher bus,
    ILogger<ClusterActuator> logger, TimeProvider time)
    : BackgroundService
{
    // The result must reach the decider before its own deadline passes, or the step is counted as timed out.
    private static readonly TimeSpan ReportMargin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SendAttempt = TimeSpan.FromSeconds(10);
    private readonly Channel<StepDispatched> _work = Channel.CreateUnbounded<StepDispatched>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, Task> _byNode = [];
    private readonly SchedulerRebootWatch _reboots = new(scheduler, scheduling, time);

    public static bool Handles(string action) =>
        action is StepActions.Cordon or StepActions.Uncordon or StepActions.OpenRma or StepActions.SchedulerReboot;

    public void Run(StepDispatched step) => _work.Writer.TryWrite(step);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        await foreach (var step in _work.Reader.ReadAllAsync(ct))
        {
            // One node's steps stay in order (a re-dispatch after a restart may repeat one); other nodes do not wait.
            var before = _byNode.GetValueOrDefault(step.NodeId) ?? Task.CompletedTask;
            _byNode[step.NodeId] = RunAfterAsync(before, step, ct);
            foreach (var done in _byNode.Where(n => n.Value.IsCompleted).Select(n => n.Key).ToList()) _byNode.Remove(done);
        }
    }

    private async Task RunAfterAsync(Task before, StepDispatched step, CancellationToken ct)
    {
        await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // Run here instead of by an agent, the step and its result still continue the trace of what dispatched it.
        using var span = Tracing.Source.StartActivity("step run", ActivityKind.Internal, LoopTracing.CauseOf(step));
        span?.SetTag("remediation.node", step.NodeId);
        span?.SetTag("remediation.command", step.CommandId);
        span?.SetTag("remediation.action", step.Action);
        var result = await RunWithinDeadlineAsync(step, ct);
        await PublishAsync(result, ct);
    }

    private async Task<StepCompleted> RunWithinDeadlineAsync(StepDispatched step, CancellationToken ct)
    {
        var left = step.Deadline - time.GetUtcNow() - ReportMargin;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        var (outcome, exitCode, output) = await RunAsync(step, limit.Token, ct);
        return new StepCompleted(step.CommandId, step.NodeId, outcome, exitCode, output, time.GetUtcNow());
    }

    private async Task<(string Outcome, int? ExitCode, string Output)> RunAsync(StepDispatched step, CancellationToken limit, CancellationToken ct)
    {
        try
        {
            switch (step.Action)
            {
                case StepActions.Cordon:
                    return Settled(await CordonUntilDrainedAsync(step, limit));
                case StepActions.Uncordon:
                    return Settled(await scheduler.UncordonAsync(step.NodeId, step.IncidentId, limit));
                case StepActions.SchedulerReboot:
                    return Settled(await _reboots.RebootAsync(step.NodeId, step.IncidentId, limit));
                default:
                    var ticket = await tickets.OpenAsync(await RequestAsync(step, limit), limit);
                    return (StepOutcomes.Succeeded, 0, ticket.Url is null ? $"ticket {ticket.Id}" : $"ticket {ticket.Id} {ticket.Url}");
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (StepOutcomes.TimedOut, null, $"{step.Action} for {step.NodeId} did not finish before its deadline {step.Deadline:O}");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("{Action} for {Node} failed: {Error}", step.Action, step.NodeId, e.Message);
            return (StepOutcomes.Failed, 1, $"{step.Action} failed: {e.Message}");
        }
    }

    private static (string, int?, string) Settled(SchedulerResult result) =>
        result.Succeeded ? (StepOutcomes.Succeeded, 0, result.Output)
        : result.Draining ? (StepOutcomes.Failed, StepExitCodes.InUse, result.Output)
        : (StepOutcomes.Failed, 1, result.Output);

    /// <summary>Cordons, then asks again every <see cref="SchedulerOptions.DrainPoll"/> until the work has left or time runs out.</summary>
    private async Task<SchedulerResult> CordonUntilDrainedAsync(StepDispatched step, CancellationToken limit)
    {
        while (true)
        {
            var result = await scheduler.CordonAsync(step.NodeId, step.IncidentId, limit);
            if (!result.Draining) return result;
            try
            {
                await Task.Delay(scheduling.DrainPoll, time, limit);
            }
            catch (OperationCanceledException)
            {
                return result;
            }
        }
    }

    private async Task PublishAsync(StepCompleted result, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A send issued while the broker is away can wait on a connection MassTransit has already given up on
                // and never return (measured: cordons dispatched during a broker restart left without a result, and no
                // warning): each attempt is bounded, and the next one asks for the connection anew.
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
                bounded.CancelAfter(SendAttempt);
                await bus.PublishResultAsync(result, bounded.Token);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Without its result the step would time out and be counted as failed; the broker is worth waiting for.
                logger.LogWarning("Publishing the result of {CommandId} failed ({Error}); retrying", result.CommandId, e.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), time, ct);
        }
    }

    /// <summary>The ticket's evidence: the fault lines, the incident's part of the node's timeline, the GPUs and bug report the agent collected.</summary>
    private async Task<RmaRequest> RequestAsync(StepDispatched step, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var incident = IncidentReader.Read(step.IncidentId, await query.Events.FetchStreamAsync(step.NodeId, token: ct));
        return RmaRequest.For(step.CommandId, step.NodeId, step.IncidentId, step.Args.GetValueOrDefault("device") ?? incident?.Device,
            incident?.Evidence ?? [], incident?.Events ?? []);
    }
}
