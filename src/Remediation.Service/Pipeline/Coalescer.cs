using Remediation.Core.Nodes;

namespace Remediation.Service.Pipeline;

/// <summary>
/// Counts repeats of an already recorded fault per node until the next flush writes one <see cref="FaultRepeated"/>.
/// Their deliveries stay unacknowledged until that event commits, so a crash loses no count.
/// </summary>
public sealed class Coalescer
{
    private readonly Dictionary<(string Node, string Fingerprint), Pending> _pending = [];

    public int Count { get; private set; }

    public void Add(string nodeId, string fingerprint, string eventId, DateTimeOffset observedAt, Delivery? delivery)
    {
        if (!_pending.TryGetValue((nodeId, fingerprint), out var p))
            _pending[(nodeId, fingerprint)] = p = new Pending(observedAt);
        if (delivery is not null) p.Deliveries.Add(delivery);
        // A redelivery of a repeat already waiting here (a broker restart, an agent's retry) is acknowledged, not counted.
        if (!p.Seen.Add(eventId)) return;
        p.EventIds.Add(eventId);
        p.Count++;
        if (observedAt < p.First) p.First = observedAt;
        if (observedAt > p.Last) p.Last = observedAt;
        Count++;
    }

    /// <summary>The counted events to append now; call <see cref="Clear"/> once they are committed.</summary>
    public IEnumerable<(FaultRepeated Event, IReadOnlyList<Delivery> Deliveries)> Drain() =>
        _pending.Select(kv => (
            new FaultRepeated(kv.Key.Node, kv.Key.Fingerprint, kv.Value.Count, kv.Value.First, kv.Value.Last, "rule:coalesce",
                kv.Value.EventIds.TakeLast(NodeState.RememberedEventIds).ToList()),
            (IReadOnlyList<Delivery>)kv.Value.Deliveries));

    /// <summary>Drops the counts of nodes this instance no longer holds; their deliveries go back to the queue uncounted.</summary>
    public void Forget(Func<string, bool> node)
    {
        foreach (var key in _pending.Keys.Where(k => node(k.Node)).ToList())
        {
            foreach (var delivery in _pending[key].Deliveries) delivery.HandBack();
            Count -= _pending[key].Count;
            _pending.Remove(key);
        }
    }

    public void Clear()
    {
        _pending.Clear();
        Count = 0;
    }

    private sealed class Pending(DateTimeOffset at)
    {
        public int Count;
        public DateTimeOffset First = at;
        public DateTimeOffset Last = at;
        public readonly List<Delivery> Deliveries = [];

        public readonly HashSet<string> Seen = [];

        /// <summary>In arrival order, so the newest are the ones remembered.</summary>
        public readonly List<string> EventIds = [];
    }
}
