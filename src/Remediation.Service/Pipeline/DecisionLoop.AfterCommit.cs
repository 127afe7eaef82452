using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Pipeline;

public sealed partial class DecisionLoop
{
    /// <summary>
    /// Everything owed once a batch is durable: the cache, deadlines, steps to send, counted repeats, replies and acks.
    /// It never throws and never decides again, or a committed batch would be decided twice: a failure here is logged,
    /// and the node it concerned is dropped from the cache, so its next input reads what was committed.
    /// </summary>
    private void AfterCommit(Committed c)
    {
        // Committed steps wait to be sent from here on: their deadlines do not run until they are.
        _undelivered.AddRange(c.Work.Values.SelectMany(n => n.Events.OfType<StepDispatched>()));
        foreach (var (id, node) in c.Work)
            Safely($"caching node {id}", () => Cache(id, node), () => _nodes.Remove(id));
        Safely("trimming the node cache", () =>
        {
            if (_nodes.Count > options.MaxCachedNodes) ForgetIdleNodes();
        });
        if (c.Flush)
        {
            _coalescer.Clear();
            _lastFlush = c.Now;
        }
        foreach (var (inbound, fingerprint) in c.Coalesced)
        {
            var fault = ((FaultInput)inbound.Input).Fault;
            // A repeat that cannot be held for counting goes back to its queue rather than wait for a count never written.
            Safely($"holding a repeat for node {inbound.Input.NodeId}",
                () => _coalescer.Add(inbound.Input.NodeId, fingerprint, fault.EventId, fault.ObservedAt, inbound.Delivery),
                () => inbound.Delivery?.HandBack());
        }
        Safely("counting the batch", () =>
        {
            metrics.FaultsCoalesced(c.Coalesced.Count);
            metrics.BatchDecided(c.Batch.Count);
            var committedAt = clock.GetUtcNow();
            foreach (var inbound in c.Batch)
                if (inbound.Input is FaultInput f) metrics.Decided(committedAt - f.Fault.ObservedAt);
        });
        foreach (var (reply, decision) in c.Replies) reply.TrySetResult(decision);
        // A flush owes the ack of every repeat it counted, a thousand and more at once in a storm. They go at once: the
        // transport acknowledges them a run at a time (Bus/BatchedAcks), where one frame each once kept every delivery
        // behind them waiting for 100 to 150 ms and had them spread over a second.
        foreach (var delivery in c.Settle) delivery.Settle();
    }

    private void Cache(string id, NodeWork node)
    {
        approvals.Committed(node.State, node.Events);
        if (!_schedule.Owns(id))
        {
            _nodes.Remove(id);
            if (node.Events.Count > 0) _nudges.Add(id);
            return;
        }
        _nodes[id] = node.State;
        _schedule.Watch(node.State, WaitingToBeSent(node.State));
    }

    private void Safely(string what, Action action, Action? onFailure = null)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            logger.LogError(e, "After a commit, {What} failed; the commit stands", what);
            onFailure?.Invoke();
        }
    }
}
