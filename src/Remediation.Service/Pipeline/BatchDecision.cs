using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Storms;

namespace Remediation.Service.Pipeline;

/// <summary>
/// The heart of a turn, without I/O: a batch of inputs, and the counted repeats due, decided against their nodes'
/// states, the fleet budget, the pause and the storms seen so far. What it returns is what the commit writes and what
/// is owed once that commit stands; nothing outside the given work changes but the storms' counts, so a failed commit
/// is simply decided again.
/// </summary>
public sealed class BatchDecision(NodeDecider decider, StormWatch storms, TalliedRepeats tallied, ILogger<BatchDecision> logger)
{
    /// <summary>What a decided batch owes once committed, and what could not be decided at all.</summary>
    public sealed record Outcome(
        FleetBudget Budget, List<Delivery> Settle, List<(TaskCompletionSource<Decision> Reply, Decision Decision)> Replies,
        List<(Inbound Inbound, string Fingerprint)> Coalesced, List<(Inbound Inbound, string Reason)> Refused,
        List<(string Stream, StormTallied Tally)> Tallies);

    /// <param name="work">Every node the batch and the repeats name, as loaded; their events are added to it.</param>
    /// <param name="stepDue">When a node's step in flight times out, as the loop counts it (from the send).</param>
    public Outcome Decide(
        IReadOnlyList<Inbound> batch, IEnumerable<(FaultRepeated Event, IReadOnlyList<Delivery> Deliveries)> repeats,
        IReadOnlyDictionary<string, NodeWork> work, DateTimeOffset now, AutomationPause? pause, FleetBudget budget,
        Func<NodeState, DateTimeOffset?> stepDue)
    {
        var outcome = new Outcome(budget, [], [], [], [], []);
        var inStorms = new List<(string StormId, FaultRepeated Repeated)>();
        foreach (var (pending, deliveries) in repeats)
        {
            var node = work[pending.NodeId];
            outcome.Settle.AddRange(deliveries);
            // Another instance, or an earlier attempt of this commit, may have counted some of these already: on the
            // node, or in the tallies of the storm that holds it (a redelivery after the tally committed).
            var storm = node.State.InStorm is { } held && held.Fingerprint == pending.Fingerprint ? held.StormId : null;
            if (Uncounted(pending, id => node.State.RecentEventIds.Contains(id) || storm is not null && tallied.Counted(storm, pending.NodeId, id))
                is not { } repeated) continue;
            // A storm's repeats are counted in the storm's stream: its nodes' streams stay as the storm left them.
            if (storm is not null) inStorms.Add((storm, repeated));
            else node.Add([repeated], NodeEvolution.Evolve(node.State, repeated));
        }
        outcome.Tallies.AddRange(Tally(inStorms, now));
        foreach (var inbound in batch)
        {
            var node = work[inbound.Input.NodeId];
            Decision decision;
            try
            {
                var storm = inbound.Input is FaultInput f ? storms.Observe(f.Fault, now) : null;
                var input = inbound.Input is ClockTick { StepDue: null } tick ? tick with { StepDue = stepDue(node.State) } : inbound.Input;
                decision = decider.Decide(node.State, input, now, pause, outcome.Budget, storm);
            }
            catch (Exception e)
            {
                // A decider exception is a bug; it must not wedge every other node behind it.
                logger.LogError(e, "Deciding {Input} for node {Node} failed; refusing it", inbound.Input.GetType().Name, node.State.Id);
                outcome.Refused.Add((inbound, $"decider failed: {e.Message}"));
                continue;
            }
            outcome = outcome with { Budget = outcome.Budget.After(node.State, decision.State) };
            if (decision.CoalescedFingerprint is { } fingerprint)
            {
                outcome.Coalesced.Add((inbound, fingerprint));
                continue;
            }
            node.Add(decision.Events, decision.State);
            LoopTracing.Caused(decision.Events, inbound.Trace);
            if (inbound.Delivery is { } delivery) outcome.Settle.Add(delivery);
            if (inbound.Reply is { } reply) outcome.Replies.Add((reply, decision));
        }
        return outcome;
    }

    private static IEnumerable<(string Stream, StormTallied Tally)> Tally(List<(string StormId, FaultRepeated Repeated)> repeats, DateTimeOffset now) =>
        repeats.GroupBy(r => r.StormId).Select(storm => (StormWatch.StreamOf(storm.Key), new StormTallied(storm.Key,
            storm.Sum(r => (long)r.Repeated.Count),
            storm.Select(r => new StormRepeats(r.Repeated.NodeId, r.Repeated.Fingerprint, r.Repeated.Count, r.Repeated.EventIds)).ToList(),
            storm.Min(r => r.Repeated.FirstAt), storm.Max(r => r.Repeated.LastAt), now)));

    private static FaultRepeated? Uncounted(FaultRepeated pending, Func<string, bool> counted)
    {
        var known = pending.EventIds?.Count(counted) ?? 0;
        if (known == 0) return pending;
        return pending.Count - known <= 0
            ? null
            : pending with { Count = pending.Count - known, EventIds = pending.EventIds!.Where(id => !counted(id)).ToList() };
    }
}
