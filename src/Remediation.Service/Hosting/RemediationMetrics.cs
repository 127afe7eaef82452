using Prometheus;
using Remediation.Core.Nodes.Deciding;

namespace Remediation.Service.Hosting;

/// <summary>The service's own series on /metrics, next to the runtime's and Npgsql's.</summary>
public sealed class RemediationMetrics
{
    private static readonly Counter FaultsIn = Metrics.CreateCounter("remediation_faults_received_total", "Valid faults received, by kind", "kind");
    private static readonly Counter Ingested = Metrics.CreateCounter("remediation_ingested_total",
        "Inputs taken off the ingest queues (fault, result), by where they went: decided by this instance (local) or sent on to the partition queue of another (partition)",
        "input", "path");
    private static readonly Counter Spoofed = Metrics.CreateCounter("remediation_sender_refused_total",
        "Messages parked because their AMQP user_id may not speak for the node they name");
    private static readonly Counter Invalid = Metrics.CreateCounter("remediation_invalid_messages_total", "Messages parked as invalid, by queue", "queue");
    private static readonly Counter Events = Metrics.CreateCounter("remediation_events_appended_total", "Node events committed, by type", "type");
    private static readonly Counter Coalesced = Metrics.CreateCounter("remediation_faults_coalesced_total", "Repeated faults counted instead of recorded");
    private static readonly Counter Steps = Metrics.CreateCounter("remediation_steps_dispatched_total", "Step commands published, by action", "action");
    private static readonly Histogram Batch = Metrics.CreateHistogram("remediation_batch_inputs", "Inputs decided per commit",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 13) });
    private static readonly Histogram Commit = Metrics.CreateHistogram("remediation_commit_seconds", "Time to commit one batch",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
    private static readonly Counter LoopSeconds = Metrics.CreateCounter("remediation_loop_seconds_total",
        "Time the decision loop spent, by stage of its turn (wait, controls, load, decide, claim, write, commit, after_commit, deliver)", "stage");
    private static readonly Histogram Latency = Metrics.CreateHistogram("remediation_fault_decision_seconds",
        "From a fault's observedAt to its decision being committed", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 18) });

    private static readonly Counter Decisions = Metrics.CreateCounter("remediation_decisions_total", "Inputs decided and committed (faults, results, ticks, operators)");
    private static readonly Counter StepResults = Metrics.CreateCounter("remediation_step_results_total",
        "Step outcomes recorded, by action and outcome (succeeded, failed, timed_out)", "action", "outcome");
    private static readonly Gauge Nodes = Metrics.CreateGauge("remediation_nodes", "Nodes by state", "status");
    private static readonly Gauge ApprovalsPending = Metrics.CreateGauge("remediation_approvals_pending", "Approvals waiting for an operator");
    private static readonly Gauge ApprovalAge = Metrics.CreateGauge("remediation_approval_oldest_age_seconds", "Age of the oldest approval still waiting");
    private static readonly Gauge Lag = Metrics.CreateGauge("remediation_pipeline_lag_seconds",
        "Age of the oldest input taken off RabbitMQ and not yet committed");
    private static readonly Gauge Backlog = Metrics.CreateGauge("remediation_queue_messages", "Messages waiting in a RabbitMQ queue", "queue");
    private static readonly Gauge BudgetUsed = Metrics.CreateGauge("remediation_budget_used",
        "Fleet budget in use, by kind (disruptive: nodes in disruptive steps; out_of_service: cordoned or in repair)", "kind");
    private static readonly Gauge BudgetLimit = Metrics.CreateGauge("remediation_budget_limit", "Fleet budget limit, by kind", "kind");
    private static readonly Gauge Deferred = Metrics.CreateGauge("remediation_actions_deferred", "Nodes whose next step waits for the fleet budget");
    private static readonly Gauge Partitions = Metrics.CreateGauge("remediation_partitions_held",
        "Partitions this instance works on; over all instances they add up to Partitions:Count");
    private static readonly Counter Acks = Metrics.CreateCounter("remediation_acks_total", "Deliveries acknowledged to RabbitMQ by the service's consumers");
    private static readonly Counter AckFrames = Metrics.CreateCounter("remediation_ack_frames_total",
        "Acknowledgement frames those took, by kind: run (every delivery up to one), single (a delivery acknowledged alone, behind one held longer)",
        "kind");
    private static readonly Gauge Paused = Metrics.CreateGauge("remediation_automation_paused", "1 while automation is paused fleet-wide");

    public static void AckWritten(bool run, int deliveries)
    {
        AckFrames.WithLabels(run ? "run" : "single").Inc();
        Acks.Inc(deliveries);
    }

    /// <summary>Raised for every committed fault decision; the benchmark listens to measure latency.</summary>
    public event Action<TimeSpan>? FaultDecided;

    public void FaultReceived(string kind) => FaultsIn.WithLabels(kind).Inc();
    public void Ingest(string input, bool local) => Ingested.WithLabels(input, local ? "local" : "partition").Inc();
    public void MessageParked(string queue) => Invalid.WithLabels(queue).Inc();

    public void SenderRefused() => Spoofed.Inc();
    public void EventAppended(string type) => Events.WithLabels(type).Inc();
    public void FaultsCoalesced(int count) => Coalesced.Inc(count);
    public void StepPublished(string action) => Steps.WithLabels(action).Inc();
    public void BatchDecided(int inputs)
    {
        Batch.Observe(inputs);
        Decisions.Inc(inputs);
    }

    public void StepFinished(string action, string outcome) => StepResults.WithLabels(action, outcome).Inc();

    public void NodesInState(string status, int count) => Nodes.WithLabels(status).Set(count);

    public void ApprovalsWaiting(int count, TimeSpan oldest)
    {
        ApprovalsPending.Set(count);
        ApprovalAge.Set(oldest.TotalSeconds);
    }

    public void PipelineLag(TimeSpan lag) => Lag.Set(lag.TotalSeconds);

    public void QueueDepth(string queue, uint messages) => Backlog.WithLabels(queue).Set(messages);

    public void Budget(FleetBudget budget, int waiting)
    {
        BudgetUsed.WithLabels("disruptive").Set(budget.Disruptive);
        BudgetUsed.WithLabels("out_of_service").Set(budget.OutOfService);
        BudgetLimit.WithLabels("disruptive").Set(budget.MaxDisruptive);
        BudgetLimit.WithLabels("out_of_service").Set(budget.MaxOutOfService);
        Deferred.Set(waiting);
    }

    public void AutomationPaused(bool paused) => Paused.Set(paused ? 1 : 0);

    public void PartitionsHeld(int count) => Partitions.Set(count);
    public void BatchCommitted(TimeSpan took) => Commit.Observe(took.TotalSeconds);

    public void LoopStage(string stage, TimeSpan took) => LoopSeconds.WithLabels(stage).Inc(took.TotalSeconds);

    public void Decided(TimeSpan latency)
    {
        Latency.Observe(Math.Max(0, latency.TotalSeconds));
        FaultDecided?.Invoke(latency);
    }
}
