using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Storms;

namespace Remediation.Specs;

/// <summary>
/// Storm-level folding: a storm takes a node with one event (which opens the node's incident as any fault's would) and
/// lets go of it with one more, carrying the count of the identical repeats it absorbed meanwhile; anything else on
/// the node is decided as without the fold.
/// </summary>
public sealed class StormFoldingSpecs
{
    private const string StormId = "storm-xid-79-x";
    private static readonly Storm XidStorm = new(StormId, "Xid 79 on 12 nodes within 60s: likely a driver or firmware bug", false);
    private static readonly Storm Fabric = new("storm-switch-leaf-3-x", "4 nodes under switch leaf-3 reported link faults within 60s: one fabric incident", true);

    private static object[] Joined(Storm storm, NodeInput fault) => Given().When(fault, T0, storm: storm).Stream;

    [Fact]
    public void The_storm_lets_go_of_a_node_with_the_repeats_its_tallies_counted_and_the_node_stays_with_the_human()
    {
        Given(Joined(XidStorm, Xid(79, eventId: "e-1"))).When(new StormOver(Node, StormId, 79), T0.AddMinutes(3))
            .Then(new NodeLeftStorm(Node, StormId, XidFingerprint(79), 79, T0, T0.AddMinutes(3), "rule:storm"))
            .ThenStatus(NodeStatus.NeedsHuman);
    }

    [Fact]
    public void A_fabric_storm_lets_go_of_a_node_by_resolving_the_incident_its_join_opened()
    {
        var left = Given(Joined(Fabric, Fault(FaultKinds.LinkDown))).When(new StormOver(Node, Fabric.IncidentId, 30), T0.AddMinutes(2))
            .Then(new NodeLeftStorm(Node, Fabric.IncidentId, NodeDecider.Fingerprint(Fault(FaultKinds.LinkDown).Fault), 30, T0, T0.AddMinutes(2), "rule:storm", Incident()))
            .ThenStatus(NodeStatus.Healthy);
        Assert.Equal("storm-switch-leaf-3-x over: let go after 30 repeat(s)", left.Single<NodeLeftStorm>().Resolution());
        Assert.Null(left.State.Incident);
        Assert.Equal(Incident(), Assert.Single(left.State.History).IncidentId);
    }

    [Fact]
    public void A_node_that_was_already_busy_keeps_its_own_incident_when_the_storm_lets_go()
    {
        var joined = Given(Histories.ResetInFlight()).When(Xid(79, eventId: "e-9"), storm: XidStorm).Stream;
        Given(joined).When(new StormOver(Node, StormId, 5)).ThenTypes(typeof(NodeLeftStorm)).ThenStatus(NodeStatus.Remediating);
    }

    [Fact]
    public void A_held_node_stays_in_its_storm_when_the_watch_has_not_seen_the_storm_after_a_restart()
    {
        var repeat = Given(Joined(XidStorm, Xid(79, eventId: "e-1"))).When(Xid(79, eventId: "e-7"), T0.AddMinutes(30), storm: null).Then();
        Assert.Equal(XidFingerprint(79), repeat.Decision.CoalescedFingerprint);
        var other = Given(Joined(XidStorm, Xid(79, eventId: "e-1"))).When(Xid(79, eventId: "e-8"), storm: new Storm("storm-xid-79-y", "later", false)).Then();
        Assert.Equal(XidFingerprint(79), other.Decision.CoalescedFingerprint);
    }

    [Fact]
    public void A_node_the_ended_storm_does_not_hold_is_left_as_it_is()
    {
        Given().When(new StormOver(Node, StormId, 3)).Then();
        Given(Joined(Fabric, Fault(FaultKinds.LinkDown))).When(new StormOver(Node, StormId, 3)).Then().ThenStatus(NodeStatus.Observing);
        Given([.. Joined(XidStorm, Xid(79, eventId: "e-1")), new NodeLeftStorm(Node, StormId, XidFingerprint(79), 4, T0, T0, "rule:storm")])
            .When(new StormOver(Node, StormId, 4)).Then();
    }

    [Fact]
    public void A_replayed_stream_knows_whether_a_storm_holds_the_node()
    {
        var joined = Joined(XidStorm, Xid(79, eventId: "e-1"));
        var held = NodeEvolution.Fold(Node, joined);
        Assert.Equal(new StormMembership(StormId, XidFingerprint(79), false, T0, Incident()), held.InStorm);
        Assert.True(held.RecentEventIds.Contains("e-1"), "the held node forgot the eventId of the fault that took it");
        Assert.Null(NodeEvolution.Fold(Node, [.. joined, new NodeLeftStorm(Node, StormId, XidFingerprint(79), 0, T0, T1, "rule:storm")]).InStorm);
    }

    [Fact]
    public void The_fault_that_brought_the_node_in_delivered_again_is_a_duplicate_not_a_repeat()
    {
        Given(Joined(XidStorm, Xid(79, eventId: "e-1"))).When(Xid(79, eventId: "e-1"), storm: XidStorm).ThenTypes(typeof(FaultIgnored));
    }

    [Fact]
    public void A_different_fault_on_a_node_a_fabric_storm_holds_is_decided_as_without_the_storm()
    {
        Given(Joined(Fabric, Fault(FaultKinds.LinkDown))).When(Xid(48, eventId: "e-5"))
            .ThenTypes(typeof(IncidentResolved), typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);
    }

    [Fact]
    public void After_the_storm_let_go_the_same_fault_is_a_fault_again()
    {
        var left = Given(Joined(XidStorm, Xid(48, eventId: "e-1"))).When(new StormOver(Node, StormId, 2), T0.AddMinutes(2)).Stream;
        var after = Given([.. left, new NodeReleased(Node, null, "driver fixed", T0.AddMinutes(3), "operator:alice")])
            .When(Xid(48, eventId: "e-9"), T0.AddMinutes(4));
        Assert.Null(after.Decision.CoalescedFingerprint);
        Assert.Equal(NodeStatus.Remediating, after.State.Status);
    }

    [Fact]
    public void The_watch_names_an_ended_storm_once()
    {
        var watch = new StormWatch(new StormOptions { XidNodes = 2, Window = TimeSpan.FromSeconds(60) }, Topology.Empty);
        watch.Observe(Xid(79, eventId: "a").Fault with { NodeId = "n1" }, T0);
        var storm = watch.Observe(Xid(79, eventId: "b").Fault with { NodeId = "n2" }, T0.AddSeconds(1))!;

        Assert.Empty(watch.Ended(T0.AddSeconds(30)));
        Assert.True(watch.IsOpen(storm.IncidentId, T0.AddSeconds(30)));
        Assert.Equal([storm.IncidentId], watch.Ended(T0.AddSeconds(62)));
        Assert.Empty(watch.Ended(T0.AddSeconds(63)));
        Assert.False(watch.IsOpen(storm.IncidentId, T0.AddSeconds(62)));
    }

    [Fact]
    public void After_a_start_a_storm_that_still_holds_nodes_goes_on_under_its_own_id()
    {
        var called = new StormDetected("storm-xid-79-a", "xid:79", false, ["n1", "n2"], "Xid 79 on 2 nodes", T0);
        var restarted = new StormWatch(new StormOptions { XidNodes = 2, Window = TimeSpan.FromSeconds(60) }, Topology.Empty);
        restarted.Adopt(called);
        var start = T0.AddMinutes(10);

        restarted.Resume(["storm-xid-79-a"], start);

        Assert.Empty(restarted.Ended(start));
        Assert.Equal("storm-xid-79-a", restarted.Observe(Xid(79, eventId: "c").Fault with { NodeId = "n3" }, start.AddSeconds(30))?.IncidentId);
        Assert.Empty(restarted.Pending());
        // Without a fault of its group a window after the start, it is over.
        Assert.Equal(["storm-xid-79-a"], restarted.Ended(start.AddSeconds(91)));
    }

    [Fact]
    public void A_storm_that_holds_no_node_is_not_resumed()
    {
        var restarted = new StormWatch(new StormOptions { XidNodes = 2, Window = TimeSpan.FromSeconds(60) }, Topology.Empty);
        restarted.Adopt(new StormDetected("storm-xid-79-a", "xid:79", false, ["n1", "n2"], "Xid 79 on 2 nodes", T0));
        restarted.Resume([], T0.AddMinutes(10));
        Assert.Equal(["storm-xid-79-a"], restarted.Ended(T0.AddMinutes(10)));
    }
}
