using Remediation.Agent.Detecting.KernelLog;
using Remediation.Contracts;

namespace Remediation.Agent.Detecting;

/// <summary>
/// Keeps what a detector saw last poll and returns only what changed for the worse. Event ids are derived from the
/// node, the boot, the condition and its level, so an agent restarted mid-fault reports the same ids again and the
/// service records the repeats as ignored.
/// </summary>
public sealed class EdgeTracker(string nodeId, string? cluster, string source, string bootId, TimeProvider clock)
{
    private readonly Dictionary<string, (long Level, int Episode)> _last = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _episodes = new(StringComparer.Ordinal);
    private bool _primed;

    public IReadOnlyList<FaultDetected> Observe(IEnumerable<Condition> conditions)
    {
        var now = clock.GetUtcNow();
        var seen = new Dictionary<string, (long, int)>(StringComparer.Ordinal);
        var faults = new List<FaultDetected>();
        foreach (var condition in conditions)
        {
            var known = _last.TryGetValue(condition.Key, out var last);
            var episode = known ? last.Episode : _episodes[condition.Key] = _episodes.GetValueOrDefault(condition.Key) + 1;
            seen[condition.Key] = (condition.Level, episode);
            var rose = known ? condition.Level > last.Level : !(condition.Baseline && !_primed);
            if (rose && !condition.Silent) faults.Add(Fault(condition, episode, now));
        }
        _last.Clear();
        foreach (var (key, value) in seen) _last[key] = value;
        _primed = true;
        return faults;
    }

    private FaultDetected Fault(Condition condition, int episode, DateTimeOffset now)
    {
        var scope = condition.Lifetime ? "lifetime" : bootId;
        var identity = $"{source}|{scope}|{condition.Key}|{condition.Level}|{episode}";
        return new FaultDetected(FaultEventId.For(nodeId, identity), nodeId, condition.Kind,
            condition.Kind == FaultKinds.Xid ? (int)condition.Level : null, condition.Device, condition.Message, now, source, cluster);
    }
}
