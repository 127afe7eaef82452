namespace Remediation.Bench;

/// <summary>
/// Collects the service's fault-to-committed-decision latencies. The service's hook names no node, so storm faults are
/// stamped <see cref="StormMark"/> early and told apart here by size: the decider reads its own clock, never
/// observedAt, so the mark changes no decision.
/// </summary>
public sealed class LatencyRecorder
{
    public static readonly TimeSpan StormMark = TimeSpan.FromDays(1);

    private readonly List<double> _calm = [];
    private readonly List<double> _storm = [];

    public int Decided { get { lock (_calm) return _calm.Count + _storm.Count; } }

    public int StormDecided { get { lock (_calm) return _storm.Count; } }

    public int CalmDecided { get { lock (_calm) return _calm.Count; } }

    public void Record(TimeSpan latency)
    {
        lock (_calm)
        {
            if (latency >= StormMark / 2) _storm.Add((latency - StormMark).TotalMilliseconds);
            else _calm.Add(latency.TotalMilliseconds);
        }
    }

    public void Reset()
    {
        lock (_calm)
        {
            _calm.Clear();
            _storm.Clear();
        }
    }

    public double Calm(double p) { lock (_calm) return Percentile(_calm, p); }

    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Max(0, Math.Ceiling(p * sorted.Count) - 1))];
    }
}
