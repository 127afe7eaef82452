using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Storms;

namespace Remediation.Specs;

/// <summary>
/// Storm-level folding: a storm takes a node with one event and lets go of it with one more, carrying the count of the
/// identical repeats it absorbed meanwhile; anything else on the node is decided as without the fold.
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
    public void A_node_the_ended_storm_does_not_hold_is_left_as_it_is()
    {
        Given().When(new StormOver(Node, StormId, 3)).Then();
        Given(Joined(Fabric, Fault(FaultKinds.LinkDown))).When(new StormOver(Node, StormId, 3)).Then();
        Given([.. Joined(XidStorm, Xid(79, eventId: "e-1")), new NodeLeftStorm(Node, StormId, XidFingerprint(79), 4, T0, T0, "rule:storm")])
            .When(new StormOver(Node, StormId, 4)).Then();
    }

    [Fact]
    public void A_replayed_stream_knows_whether_a_storm_holds_the_node()
    {
        var joined = Joined(XidStorm, Xid(79, eventId: "e-1"));
        var held = NodeEvolution.Fold(Node, joined);
        Assert.Equal(new StormMembership(StormId, XidFingerprint(79), false, T0), held.InStorm);
        Assert.Contains("e-1", held.RecentEventIds);
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
            .ThenTypes(typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(StepDispatched))
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
}
