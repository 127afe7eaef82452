using System.Diagnostics;
using Marten;
using Remediation.Contracts;
using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Stats;
using Remediation.Store;
using Remediation.Core.Storms;

namespace Remediation.Service.Pipeline;

public sealed partial class DecisionLoop
{
    /// <summary>What one commit made durable, and what is owed for it afterwards.</summary>
    private sealed record Committed(
        DateTimeOffset Now, bool Flush, List<Inbound> Batch, Dictionary<string, NodeWork> Work, List<Delivery> Settle,
        List<(TaskCompletionSource<Decision> Reply, Decision Decision)> Replies, List<(Inbound Inbound, string Fingerprint)> Coalesced);

    /// <summary>Decides the batch against the nodes' states and writes it in one transaction; throws if it did not commit.</summary>
    private async Task<Committed> CommitAsync(List<Inbound> batch, bool flush, CancellationToken ct)
    {
        using var span = LoopTracing.StartCommit(batch);
        var now = clock.GetUtcNow();
        var repeats = flush ? _coalescer.Drain().ToList() : [];
        foreach (var inbound in batch)
            if (inbound.Reload) _nodes.Remove(inbound.Input.NodeId);
        var work = await LoadAsync(batch.Select(i => i.Input.NodeId).Concat(repeats.Select(d => d.Event.NodeId)), ct);
        if (flush) await ReadTalliesAsync(repeats.Select(r => r.Event), work, ct);
        Lap(LoopStage.Load);

        var decided = batchDecision.Decide(batch, repeats, work, now, automation.Current, _budget, StepDue);
        _budget = decided.Budget;
        Lap(LoopStage.Decide);
        foreach (var (inbound, reason) in decided.Refused) Refuse(inbound, reason);

        await SaveAsync(work.Values, decided.Tallies, now, ct);
        LoopTracing.Committed(span, work.Values);
        return new Committed(now, flush, batch, work, decided.Settle, decided.Replies, decided.Coalesced);
    }

    private void ForgetIdleNodes()
    {
        var idle = _nodes.Where(n => n.Value.Incident is null && !_schedule.HasDeadline(n.Key)).Select(n => n.Key).ToList();
        foreach (var id in idle) _nodes.Remove(id);
        logger.LogInformation("Let go of {Count} idle node states; {Left} stay cached", idle.Count, _nodes.Count);
    }

    /// <summary>
    /// Refuses an input that cannot be decided or stored: what came over the bus is parked by the transport, body
    /// untouched, in its invalid queue; an operator is told through the reply; a clock tick is logged.
    /// </summary>
    private void Refuse(Inbound inbound, string reason)
    {
        if (inbound.Delivery is { } delivery) delivery.Reject(reason);
        else if (inbound.Reply is null) logger.LogError("Dropped {Input} for node {Node}: {Reason}", inbound.Input.GetType().Name, inbound.Input.NodeId, reason);
        inbound.Reply?.TrySetException(new InvalidOperationException(reason));
    }

    private async Task<Dictionary<string, NodeWork>> LoadAsync(IEnumerable<string> nodeIds, CancellationToken ct)
    {
        var ids = nodeIds.Distinct().ToList();
        var missing = ids.Where(id => !_nodes.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            await using var query = store.QuerySession();
            foreach (var state in await query.LoadManyAsync<NodeState>(ct, missing)) _nodes[state.Id] = state;
        }
        return ids.ToDictionary(id => id, id => new NodeWork(_nodes.GetValueOrDefault(id) ?? NodeState.New(id)));
    }

    /// <summary>
    /// One transaction: the budget claim, storms through Marten, and the nodes' events and states through the
    /// batch writer. Nothing of it is visible, and nothing acknowledged, until it all commits.
    /// </summary>
    private async Task SaveAsync(
        IReadOnlyCollection<NodeWork> work, IReadOnlyList<(string Stream, StormTallied Tally)> tallies, DateTimeOffset now, CancellationToken ct)
    {
        var changed = work.Where(n => n.Events.Count > 0).Select(n => new NodeWrite(n.State, n.LoadedVersion, n.Events)).ToList();
        if (changed.Count == 0 && tallies.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        var detected = storms.Pending();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (_claimBudget) await _budgetLedger.ClaimAsync(connection, work, ct);
        else logger.LogWarning("Committing without claiming the fleet budget: the claim kept failing for this batch");
        Lap(LoopStage.Claim);
        // Storms are rare: most commits need no Marten session at all.
        if (detected.Count > 0 || tallies.Count > 0)
        {
            await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: false));
            foreach (var storm in detected) session.Events.Append(StormWatch.StreamKey, storm);
            foreach (var (stream, tally) in tallies) session.Events.Append(stream, tally);
            await session.SaveChangesAsync(ct);
        }
        if (changed.Count > 0) await _writer.WriteAsync(connection, changed, now, ct);
        // Most batches hold only faults and dispatches: fold again only the nodes whose events the statistics count.
        await stats.WriteAsync(connection, work.Where(n => n.Events.Any(StatsFold.Counts)).SelectMany(n => StatsFold.Facts(n.Loaded, n.Events)).ToList(), ct);
        Lap(LoopStage.Write);
        await transaction.CommitAsync(ct);
        Lap(LoopStage.Commit);
        storms.Committed(detected);
        foreach (var storm in detected) logger.LogWarning("Storm {Incident}: {Reason}", storm.IncidentId, storm.Reason);
        foreach (var e in changed.SelectMany(n => n.Events)) Count(e);
        metrics.BatchCommitted(Stopwatch.GetElapsedTime(started));
    }

    private void Count(object e)
    {
        metrics.EventAppended(e.GetType().Name);
        switch (e)
        {
            case StepSucceeded s: metrics.StepFinished(s.Action ?? "unknown", StepOutcomes.Succeeded); break;
            case StepFailed f: metrics.StepFinished(f.Action, StepOutcomes.Failed); break;
            case StepTimedOut t: metrics.StepFinished(t.Action, StepOutcomes.TimedOut); break;
        }
    }

    /// <summary>
    /// Publishes committed steps, and nudges the holders of nodes this instance wrote for them; what the broker
    /// refuses now is tried again on the next turn.
    /// </summary>
    private static readonly TimeSpan SendPass = TimeSpan.FromSeconds(2);

    private async Task DeliverAsync(CancellationToken ct)
    {
        var sent = 0;
        var nudged = 0;
        // A send waits for the broker, and MassTransit's reconnect back-off reaches half a minute: a pass that cannot
        // finish soon leaves the rest to the next turn, so the loop keeps committing what comes in meanwhile.
        using var pass = CancellationTokenSource.CreateLinkedTokenSource(ct);
        pass.CancelAfter(SendPass);
        try
        {
            foreach (var step in _undelivered.ToList())
            {
                // The step's time starts now, when it leaves: a command that waited out a broker outage here gets its
                // whole deadline at the agent, and the loop times it out no earlier.
                var leaving = clock.GetUtcNow();
                if (cluster.Handles(step.Action)) cluster.Run(step);
                else await publisher.PublishAsync(step, leaving + (step.Deadline - step.DispatchedAt), pass.Token);
                _undelivered.Remove(step);
                _schedule.Sent(step, leaving, _nodes.GetValueOrDefault(step.NodeId));
                metrics.StepPublished(step.Action);
                sent++;
            }
            foreach (var node in _nudges)
            {
                await publisher.NudgeAsync(node, partitionMap.Of(node), pass.Token);
                nudged++;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Publishing step commands failed ({Error}); {Count} will be retried", e.Message, _undelivered.Count + _nudges.Count - nudged);
        }
        _nudges.RemoveRange(0, nudged);
    }
}
