using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Storms;
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
    public void Nodes_a_storm_took_count_with_their_fault_a_fabric_one_observed_at_the_let_go_an_xid_one_handed_over_when_released()
    {
        var decider = new NodeDecider(Runbooks, new DeciderOptions { CommandKey = Key });
        var fabric = new Storm("storm-switch-leaf-3-x", "4 nodes under switch leaf-3", true);
        var joined = decider.Decide(NodeState.New(Node), Fault(FaultKinds.LinkDown), T0, storm: fabric);
        var left = decider.Decide(joined.State, new StormOver(Node, fabric.IncidentId, 12), T1);

        var closed = Assert.Single(Facts([.. joined.Events, .. left.Events]).OfType<IncidentClosed>());
        Assert.Equal((Incident(), FaultKinds.LinkDown, StatsFold.Observed, T1), (closed.IncidentId, closed.Fault, closed.Outcome, closed.ClosedAt));

        var xid = new Storm("storm-xid-79-x", "Xid 79 on 12 nodes", false);
        var handed = decider.Decide(NodeState.New(Node), Xid(79), T0, storm: xid);
        var released = new NodeReleased(Node, Incident(), "driver rolled back", T1, "operator:alice");
        Assert.Equal(("xid:79", StatsFold.HandedToHuman),
            Assert.Single(Facts([.. handed.Events, released]).OfType<IncidentClosed>()) is var c ? (c.Fault, c.Outcome) : default);
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
