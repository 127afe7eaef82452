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
    private readonly List<long> _calmAt = [];
    private readonly List<double> _storm = [];

    public int Decided { get { lock (_calm) return _calm.Count + _storm.Count; } }

    public int StormDecided { get { lock (_calm) return _storm.Count; } }

    public int CalmDecided { get { lock (_calm) return _calm.Count; } }

    public void Record(TimeSpan latency)
    {
        lock (_calm)
        {
            if (latency >= StormMark / 2) _storm.Add((latency - StormMark).TotalMilliseconds);
            else
            {
                _calm.Add(latency.TotalMilliseconds);
                _calmAt.Add(System.Diagnostics.Stopwatch.GetTimestamp());
            }
        }
    }

    /// <summary>Forgets every latency so far; returns how many unaffected faults that forgot, counted in the same lock.</summary>
    public int Reset()
    {
        lock (_calm)
        {
            var calm = _calm.Count;
            _calm.Clear();
            _calmAt.Clear();
            _storm.Clear();
            return calm;
        }
    }

    public double Calm(double p) { lock (_calm) return Percentile(_calm, p); }

    /// <summary>The <paramref name="n"/> slowest calm faults, "latency at when", when each was decided counted in seconds after <paramref name="since"/>.</summary>
    public string SlowestCalm(int n, long since)
    {
        lock (_calm)
            return string.Join(", ", _calm.Select((ms, i) => (At: System.Diagnostics.Stopwatch.GetElapsedTime(since, _calmAt[i]).TotalSeconds, Ms: ms))
                .OrderByDescending(x => x.Ms).Take(n).Select(x => $"{x.Ms:F0} ms at {x.At:F1} s"));
    }

    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Max(0, Math.Ceiling(p * sorted.Count) - 1))];
    }
}
