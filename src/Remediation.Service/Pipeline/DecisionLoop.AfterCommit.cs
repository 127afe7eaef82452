using Remediation.Core.Nodes;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Pipeline;

public sealed partial class DecisionLoop
{
    /// <summary>
    /// Committed counted repeats whose acks are spread out (<see cref="AfterCommit"/>): settled in proportion to the time
    /// since their flush committed, over half the time they took to gather (at most <see cref="RepeatAckSpreadLimit"/>),
    /// the loop turning at least every <see cref="RepeatAckPause"/> while any are left.
    /// </summary>
    private readonly Queue<Delivery> _repeatAcks = new();
    private int _repeatAcksOwed;
    private long _repeatAcksFrom;
    private TimeSpan _repeatAckSpread;
    private static readonly TimeSpan RepeatAckPause = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan RepeatAckSpreadLimit = TimeSpan.FromSeconds(1);

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
        var gathered = c.Now - _lastFlush;
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
        // The transport acknowledges each message when its consumer sees it settled. A flush also owes the ack of every
        // repeat it counted, a thousand and more at once in a storm. The broker's queue takes acks one at a time, and a
        // delivery waits behind those sent before it: a leaf storm's flush acknowledged in 15 ms left 100 to 150 ms in
        // which no input reached the loop, the unaffected nodes' slowest faults. Acknowledged at twice the rate they
        // came, the repeats never pile up and no delivery waits behind many. Only a flush drains counted repeats, so
        // any other commit settles all it owes at once.
        if (!c.Flush)
        {
            foreach (var delivery in c.Settle) delivery.Settle();
            return;
        }
        var own = c.Batch.Select(b => b.Delivery).OfType<Delivery>().ToHashSet();
        foreach (var delivery in c.Settle.Where(own.Contains)) delivery.Settle();
        SpreadRepeatAcks(c.Settle.Where(d => !own.Contains(d)), gathered);
    }

    private void SpreadRepeatAcks(IEnumerable<Delivery> repeats, TimeSpan gathered)
    {
        SettleRepeats(int.MaxValue); // what is left of the last flush is due by now
        foreach (var delivery in repeats) _repeatAcks.Enqueue(delivery);
        _repeatAcksOwed = _repeatAcks.Count;
        _repeatAcksFrom = System.Diagnostics.Stopwatch.GetTimestamp();
        _repeatAckSpread = TimeSpan.FromTicks(Math.Clamp(gathered.Ticks / 2, 0, RepeatAckSpreadLimit.Ticks));
    }

    /// <summary>Settles the counted repeats whose share of the spread has come.</summary>
    private void SettleDueRepeats()
    {
        if (_repeatAcks.Count == 0) return;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_repeatAcksFrom);
        var share = _repeatAckSpread <= TimeSpan.Zero ? 1 : Math.Min(1, elapsed / _repeatAckSpread);
        SettleRepeats((int)Math.Ceiling(_repeatAcksOwed * share) - (_repeatAcksOwed - _repeatAcks.Count));
    }

    private void SettleRepeats(int most)
    {
        for (var i = 0; i < most && _repeatAcks.TryDequeue(out var delivery); i++) delivery.Settle();
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
