using Marten;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Pipeline;

public sealed partial class DecisionLoop
{
    /// <summary>
    /// Reads the pause switch and recounts the fleet budget every couple of seconds (another instance, or the CLI, may
    /// have moved them); when a pause ends or budget frees, the nodes with a deferred step get a tick to dispatch it.
    /// </summary>
    private async Task WatchControlsAsync(List<Inbound> batch, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var due = now - _lastSwitchRead >= options.PauseRefresh;
            await RecountBesideTheLoopAsync(due, ct);
            if (due)
            {
                await automation.ReadAsync(ct);
                await ReadStormsAsync(ct);
                await LetGoOfEndedStormsAsync(batch, now, ct);
                _lastSwitchRead = now;
            }
            // Budget freed (here or by another instance): the waiting nodes try again; those that still do not fit
            // stay deferred without a new event.
            if (_schedule.BudgetWaiting.Count > 0 && _budget != _budgetTried
                && (_budget.Disruptive < _budget.MaxDisruptive || _budget.OutOfService < _budget.MaxOutOfService))
            {
                _budgetTried = _budget;
                batch.AddRange(_schedule.BudgetWaiting.Select(TickNow));
            }
            var paused = automation.Current is not null;
            if (_pausedSeen && !paused)
            {
                await using var query = store.QuerySession();
                var deferred = await query.Query<NodeState>().Where(n => n.Incident != null && n.Incident.Deferred != null)
                    .Select(n => n.Id).ToListAsync(ct);
                // Each instance wakes its own nodes; the others' holders see the same resume.
                deferred = deferred.Where(_schedule.Owns).ToList();
                batch.AddRange(deferred.Select(TickNow));
                logger.LogInformation("Automation resumed: dispatching the deferred steps of {Count} nodes", deferred.Count);
            }
            _pausedSeen = paused;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Keep deciding with the last known position; a pause that cannot be read is not a reason to stop.
            logger.LogWarning("Reading the automation switch failed: {Error}", e.Message);
        }
    }

    private void AddDueTicks(List<Inbound> batch, DateTimeOffset now)
    {
        batch.AddRange(_schedule.Due(now).Select(TickNow));
    }

    /// <summary>A tick for the node, taken in now, carrying its step's deadline as counted from the send.</summary>
    private Inbound TickNow(string nodeId) =>
        new(new ClockTick(nodeId, _nodes.TryGetValue(nodeId, out var state) ? StepDue(state) : null)) { ReceivedAt = clock.GetUtcNow() };
}
