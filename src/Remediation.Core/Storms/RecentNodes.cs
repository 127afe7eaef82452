namespace Remediation.Core.Storms;

/// <summary>
/// The nodes of one storm group seen within the window, each with the last time it was. Sightings are kept in the order
/// they came, so letting the old ones go starts from the oldest and stops at the first still in the window: a fault costs
/// the same whether the group holds ten nodes or ten thousand (scanning every node on each fault made a fleet-wide
/// driver bug quadratic).
/// </summary>
internal sealed class RecentNodes
{
    private readonly Dictionary<string, DateTimeOffset> _last = [];
    private readonly Queue<(string Node, DateTimeOffset At)> _sightings = new();

    public int Count => _last.Count;

    public IEnumerable<string> Nodes => _last.Keys;

    public bool Contains(string node) => _last.ContainsKey(node);

    public void Saw(string node, DateTimeOffset at)
    {
        // A node seen again at the same moment (twice in one batch) needs no second sighting to expire it later.
        if (_last.TryGetValue(node, out var last) && last == at) return;
        _last[node] = at;
        _sightings.Enqueue((node, at));
    }

    /// <summary>Forgets the nodes last seen before <paramref name="cutoff"/>.</summary>
    public void Expire(DateTimeOffset cutoff)
    {
        while (_sightings.TryPeek(out var oldest) && oldest.At < cutoff)
        {
            _sightings.Dequeue();
            // A later sighting of the node is further back in the queue: only its last one lets it go.
            if (_last.TryGetValue(oldest.Node, out var last) && last == oldest.At) _last.Remove(oldest.Node);
        }
    }
}
