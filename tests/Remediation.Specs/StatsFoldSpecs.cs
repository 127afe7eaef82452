using Remediation.Service.Stats;

namespace Remediation.Specs;

/// <summary>What the runbook statistics count, folded from the same events the timeline shows.</summary>
public sealed class StatsFoldSpecs
{
    private static List<object> Facts(params object[] events) => StatsFold.Facts(NodeState.New(Node), events).ToList();

    [Fact]
    public void A_reset_that_fixed_the_gpu_is_a_first_rung_fix_of_its_xid()
    {
        var closed = Assert.Single(Facts(Histories.ResetResolved).OfType<IncidentClosed>());

        Assert.Equal((Incident(), "xid:48", "gpu-reset", 0, StatsFold.FixedFirstRung), (closed.IncidentId, closed.Fault, closed.Runbook, closed.Escalations, closed.Outcome));
    }

    [Fact]
    public void An_incident_fixed_after_escalating_counts_for_the_runbook_it_started_on()
    {
        var history = Histories.ReloadInFlight.Concat(new object[]
        {
            Succeeded("driver-reload", "reload-driver"), Resolved(),
        }).ToArray();

        var facts = Facts(history);

        var closed = Assert.Single(facts.OfType<IncidentClosed>());
        Assert.Equal(("gpu-reset", 1, StatsFold.FixedEscalated), (closed.Runbook, closed.Escalations, closed.Outcome));
        Assert.Equal(2, facts.OfType<StepFaulted>().Count(s => s is { Runbook: "gpu-reset", Step: "reset-gpu", TimedOut: false }));
    }

    [Fact]
    public void An_incident_handed_to_a_human_and_later_released_counts_as_handed_over()
    {
        var facts = Facts([.. Histories.RebootAwaitingApproval,
            new HandedToHuman(Node, Incident(), "approval rejected", T0, "operator:alice"),
            new NodeReleased(Node, Incident(), "fixed by hand", T0.AddHours(2), "operator:alice")]);

        var closed = Assert.Single(facts.OfType<IncidentClosed>());
        Assert.Equal((StatsFold.HandedToHuman, T0.AddHours(2)), (closed.Outcome, closed.ClosedAt));
    }

    [Fact]
    public void An_open_incident_counts_nothing_yet() => Assert.Empty(Facts(Histories.ResetVerifying).OfType<IncidentClosed>());
}

/// <summary>Percentiles from log-scale buckets land within one bucket (19 %) of the exact value.</summary>
public sealed class RecoveryBucketTests
{
    [Fact]
    public void Percentiles_from_buckets_are_within_a_bucket_of_the_exact_ones()
    {
        var recoveries = Enumerable.Range(1, 1000).Select(i => TimeSpan.FromSeconds(i * 7)).ToList();
        var histogram = recoveries.GroupBy(RecoveryBuckets.Of).ToDictionary(g => g.Key, g => g.Count());

        var p50 = RecoveryBuckets.Percentile(histogram, 0.5)!.Value;
        var p90 = RecoveryBuckets.Percentile(histogram, 0.9)!.Value;

        Assert.InRange(p50 / 3500, 0.84, 1.19);
        Assert.InRange(p90 / 6300, 0.84, 1.19);
        Assert.Null(RecoveryBuckets.Percentile(new Dictionary<short, int>(), 0.5));
        Assert.Equal(0, RecoveryBuckets.Of(TimeSpan.FromMilliseconds(300)));
    }
}
