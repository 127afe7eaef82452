using Prometheus;

namespace Remediation.Service.Hosting;

/// <summary>The service's own series on /metrics, next to the runtime's and Npgsql's.</summary>
public sealed class RemediationMetrics
{
    private static readonly Counter FaultsIn = Metrics.CreateCounter("remediation_faults_received_total", "Valid faults received, by kind", "kind");
    private static readonly Counter Invalid = Metrics.CreateCounter("remediation_invalid_messages_total", "Messages parked as invalid, by queue", "queue");
    private static readonly Counter Events = Metrics.CreateCounter("remediation_events_appended_total", "Node events committed, by type", "type");
    private static readonly Counter Coalesced = Metrics.CreateCounter("remediation_faults_coalesced_total", "Repeated faults counted instead of recorded");
    private static readonly Counter Steps = Metrics.CreateCounter("remediation_steps_dispatched_total", "Step commands published, by action", "action");
    private static readonly Histogram Batch = Metrics.CreateHistogram("remediation_batch_inputs", "Inputs decided per commit",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 13) });
    private static readonly Histogram Commit = Metrics.CreateHistogram("remediation_commit_seconds", "Time to commit one batch",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
    private static readonly Histogram Latency = Metrics.CreateHistogram("remediation_fault_decision_seconds",
        "From a fault's observedAt to its decision being committed", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 18) });

    /// <summary>Raised for every committed fault decision; the benchmark listens to measure latency.</summary>
    public event Action<TimeSpan>? FaultDecided;

    public void FaultReceived(string kind) => FaultsIn.WithLabels(kind).Inc();
    public void MessageParked(string queue) => Invalid.WithLabels(queue).Inc();
    public void EventAppended(string type) => Events.WithLabels(type).Inc();
    public void FaultsCoalesced(int count) => Coalesced.Inc(count);
    public void StepPublished(string action) => Steps.WithLabels(action).Inc();
    public void BatchDecided(int inputs) => Batch.Observe(inputs);
    public void BatchCommitted(TimeSpan took) => Commit.Observe(took.TotalSeconds);

    public void Decided(TimeSpan latency)
    {
        Latency.Observe(Math.Max(0, latency.TotalSeconds));
        FaultDecided?.Invoke(latency);
    }
}
