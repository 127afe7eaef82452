using Remediation.Core.Nodes;

namespace Remediation.Core.Storms;

/// <summary>
/// The eventIds the storms' tallies already counted, per storm and node, as read from the storms' own streams. A
/// repeat's delivery is acknowledged only after its tally commits, so a crash or a lost connection in between has
/// the broker deliver it again, possibly to another instance: checked against these, it is settled, not counted twice.
/// Each node keeps its newest <see cref="NodeState.RememberedEventIds"/>, as a node's own stream does for its repeats.
/// </summary>
public sealed class TalliedRepeats
{
    private readonly Dictionary<string, StormSeen> _storms = [];

    /// <summary>The last version of the storm's stream read in; 0 when none was.</summary>
    public long ReadUpTo(string stormId) => _storms.GetValueOrDefault(stormId)?.Version ?? 0;

    /// <summary>Tallies of the storm's stream from <see cref="ReadUpTo"/> on, with the version each has there.</summary>
    public void Read(string stormId, IEnumerable<(long Version, StormTallied Tally)> tallies)
    {
        var storm = _storms.TryGetValue(stormId, out var s) ? s : _storms[stormId] = new StormSeen();
        foreach (var (version, tally) in tallies.Where(t => t.Version > storm.Version))
        {
            foreach (var repeats in tally.Repeats)
            {
                var node = storm.Nodes.TryGetValue(repeats.NodeId, out var n) ? n : storm.Nodes[repeats.NodeId] = new Node();
                foreach (var id in repeats.EventIds ?? []) node.Remember(id);
            }
            storm.Version = version;
        }
    }

    /// <summary>Whether a tally of this storm already counted the node's fault.</summary>
    public bool Counted(string stormId, string nodeId, string eventId) =>
        _storms.TryGetValue(stormId, out var storm) && storm.Nodes.TryGetValue(nodeId, out var node) && node.Ids.Contains(eventId);

    /// <summary>The storm ended and let go of its nodes: no repeat of it is counted any more.</summary>
    public void Forget(string stormId) => _storms.Remove(stormId);

    private sealed class StormSeen
    {
        public long Version;
        public readonly Dictionary<string, Node> Nodes = [];
    }

    private sealed class Node
    {
        private readonly Queue<string> _order = new();
        public readonly HashSet<string> Ids = [];

        public void Remember(string id)
        {
            if (!Ids.Add(id)) return;
            _order.Enqueue(id);
            if (_order.Count > NodeState.RememberedEventIds) Ids.Remove(_order.Dequeue());
        }
    }
}
