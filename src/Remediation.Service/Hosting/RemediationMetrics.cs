using System.Diagnostics.Metrics;

namespace Remediation.Service.Hosting;

/// <summary>The service's own instruments; prometheus-net exports them on /metrics with MassTransit-free names.</summary>
public sealed class RemediationMetrics : IDisposable
{
    private readonly Meter _meter = new("Remediation");

    public RemediationMetrics()
    {
        FaultsIn = _meter.CreateCounter<long>("remediation_faults_received", description: "Faults received, by kind");
        InvalidMessages = _meter.CreateCounter<long>("remediation_invalid_messages", description: "Messages parked as invalid, by queue");
        EventsAppended = _meter.CreateCounter<long>("remediation_events_appended", description: "Node events committed, by type");
        FaultsCoalesced = _meter.CreateCounter<long>("remediation_faults_coalesced", description: "Repeated faults counted instead of recorded");
        StepsDispatched = _meter.CreateCounter<long>("remediation_steps_dispatched", description: "Step commands published, by action");
        BatchSize = _meter.CreateHistogram<int>("remediation_batch_inputs", description: "Inputs decided per commit");
        CommitSeconds = _meter.CreateHistogram<double>("remediation_commit_seconds", unit: "s", description: "Time to commit one batch");
    }

    public Counter<long> FaultsIn { get; }
    public Counter<long> InvalidMessages { get; }
    public Counter<long> EventsAppended { get; }
    public Counter<long> FaultsCoalesced { get; }
    public Counter<long> StepsDispatched { get; }
    public Histogram<int> BatchSize { get; }
    public Histogram<double> CommitSeconds { get; }

    public void Dispose() => _meter.Dispose();
}
