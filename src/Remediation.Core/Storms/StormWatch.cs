using Remediation.Contracts;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Core.Storms;

/// <summary>
/// Watches faults across nodes, as the decision loop takes them in, for many nodes faulting alike within a short
/// window: link faults under one switch or rack, or one Xid (or NVSwitch SXid) on many nodes. One loop owns it, so
/// it is not shared; storms other instances called reach it through the <c>$storms</c> stream (<see cref="Adopt"/>).
/// </summary>
public sealed class StormWatch(StormOptions options, Topology topology)
{
    public const string StreamKey = "$storms";

    /// <summary>A storm's own stream, holding its tallies; '$' keeps it apart from node ids, which never start with one.</summary>
    public static string StreamOf(string stormId) => $"$storm:{stormId}";

    /// <summary>Faults of the fabric between nodes; NVLink is inside a node and says nothing about a switch.</summary>
    private static readonly HashSet<string> LinkKinds = [FaultKinds.LinkFlap, FaultKinds.LinkDown];
    private readonly Dictionary<string, RecentNodes> _seen = [];
    private readonly Dictionary<string, (Storm Storm, DateTimeOffset Last)> _open = [];
    private readonly List<StormDetected> _detected = [];
    private readonly HashSet<string> _live = [];
    private DateTimeOffset _pruned;

    /// <summary>More nodes than this in one group say nothing more about a storm; past it, new nodes are not remembered.</summary>
    public const int MaxNodesPerGroup = 10_000;

    /// <summary>The storm this fault belongs to, opening one when this fault crosses the threshold; null when none.</summary>
    public Storm? Observe(FaultDetected fault, DateTimeOffset now)
    {
        Storm? found = null;
        if (now - _pruned > options.Window) Prune(now);
        foreach (var (group, fabric, threshold) in GroupsOf(fault))
        {
            var nodes = _seen.TryGetValue(group, out var n) ? n : _seen[group] = new RecentNodes();
            nodes.Expire(now - options.Window);
            if (nodes.Count < MaxNodesPerGroup || nodes.Contains(fault.NodeId)) nodes.Saw(fault.NodeId, now);
            if (_open.TryGetValue(group, out var open) && now - open.Last <= options.Window)
            {
                _open[group] = (open.Storm, now);
                found ??= open.Storm;
            }
            else if (nodes.Count >= threshold)
            {
                var storm = Open(group, fabric, nodes.Nodes.Order().ToList(), now);
                _open[group] = (storm, now);
                found ??= storm;
            }
        }
        return found;
    }

    /// <summary>Whether the storm is still going: a fault of its group came within the window.</summary>
    public bool IsOpen(string stormId, DateTimeOffset now) =>
        _open.Values.Any(o => o.Storm.IncidentId == stormId && now - o.Last <= options.Window);

    /// <summary>Storms this watch opened or adopted that have ended since it was last asked, each named once.</summary>
    public IReadOnlyList<string> Ended(DateTimeOffset now)
    {
        var ended = _live.Where(id => !IsOpen(id, now)).ToList();
        _live.ExceptWith(ended);
        return ended;
    }

    /// <summary>Nodes count toward a storm for one window; groups and storms nobody reported in since are forgotten.</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (group, nodes) in _seen.ToList())
        {
            nodes.Expire(now - options.Window);
            if (nodes.Count == 0) _seen.Remove(group);
        }
        foreach (var (group, open) in _open.ToList())
            if (now - open.Last > options.Window) _open.Remove(group);
        _pruned = now;
    }

    /// <summary>
    /// A storm called elsewhere (another instance holds other partitions, so it counts other nodes): this instance's
    /// faults of the same group join it while they keep coming within the window, instead of counting from zero.
    /// </summary>
    public void Adopt(StormDetected called)
    {
        if (_open.TryGetValue(called.Group, out var open) && open.Last >= called.DetectedAt) return;
        _open[called.Group] = (new Storm(called.IncidentId, called.Reason, called.Fabric), called.DetectedAt);
        _live.Add(called.IncidentId);
    }

    /// <summary>
    /// After a start, the storms the store says still hold nodes (adopted from <c>$storms</c> first) stay open for one
    /// window from now under their own ids: no instance watched while none ran, so whether they went on is not known,
    /// and letting go at once, or calling the storm again under a new id when its faults come back, would split it.
    /// </summary>
    public void Resume(IEnumerable<string> holding, DateTimeOffset now)
    {
        var ids = holding.ToHashSet();
        foreach (var (group, open) in _open.Where(o => ids.Contains(o.Value.Storm.IncidentId)).ToList())
        {
            _open[group] = (open.Storm, now);
            _live.Add(open.Storm.IncidentId);
        }
    }

    /// <summary>Storms opened and not committed yet, to be committed with the batch that saw them (or, if it fails, the next).</summary>
    public List<StormDetected> Pending() => _detected.ToList();

    /// <summary>These storms are in the store now.</summary>
    public void Committed(IReadOnlyCollection<StormDetected> committed) => _detected.RemoveAll(committed.Contains);

    private Storm Open(string group, bool fabric, List<string> nodes, DateTimeOffset now)
    {
        var id = $"storm-{group.Replace(':', '-')}-{now:yyyyMMddTHHmmss}";
        var reason = fabric
            ? $"{nodes.Count} nodes under {group.Replace(':', ' ')} reported link faults within {options.Window.TotalSeconds:0}s: one fabric incident"
            : $"{Named(group)} on {nodes.Count} nodes within {options.Window.TotalSeconds:0}s: likely a driver or firmware bug";
        _detected.Add(new StormDetected(id, group, fabric, nodes, reason, now));
        _live.Add(id);
        return new Storm(id, reason, fabric);
    }

    private static string Named(string group) => group.Split(':') switch
    {
        ["xid", var xid] => $"Xid {xid}",
        ["sxid", var sxid] => $"SXid {sxid}",
        _ => group.Replace(':', ' '),
    };

    private IEnumerable<(string Group, bool Fabric, int Threshold)> GroupsOf(FaultDetected fault)
    {
        if (LinkKinds.Contains(fault.Kind))
        {
            var (rack, sw) = topology.Of(fault.NodeId);
            if (sw is not null) yield return ($"switch:{sw}", true, options.FabricNodes);
            if (rack is not null) yield return ($"rack:{rack}", true, options.FabricNodes);
        }
        else if (fault is { Kind: FaultKinds.Xid, Xid: { } xid })
            yield return ($"xid:{xid}", false, options.XidNodes);
        // One SXid on the NVSwitches of many nodes at once is a driver or firmware bug too, not many fabric faults.
        else if (fault is { Kind: FaultKinds.Sxid, Sxid: { } sxid })
            yield return ($"sxid:{sxid}", false, options.XidNodes);
    }
}
