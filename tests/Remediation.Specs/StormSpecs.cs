using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Storms;

namespace Remediation.Specs;

/// <summary>Many nodes faulting alike are one problem: a fabric incident, or a human asked about an Xid storm.</summary>
public sealed class StormSpecs
{
    private static readonly Storm Fabric = new("storm-switch-leaf-3-x", "4 nodes under switch leaf-3 reported link faults within 60s: one fabric incident", true);
    private static readonly Storm XidStorm = new("storm-xid-79-x", "Xid 79 on 12 nodes within 60s: likely a driver or firmware bug", false);

    [Fact]
    public void A_link_fault_in_a_fabric_storm_is_recorded_against_the_storm_and_the_node_is_only_watched()
    {
        var outcome = Given().When(Fault(FaultKinds.LinkDown), storm: Fabric).ThenTypes(typeof(NodeJoinedStorm)).ThenStatus(NodeStatus.Observing);
        var joined = outcome.Single<NodeJoinedStorm>();
        Assert.Equal(("storm-switch-leaf-3-x", "e-2", Incident(), true, false), (joined.StormId, joined.EventId, joined.IncidentId, joined.Opened, joined.HandedToHuman));
        Assert.EndsWith("no node action", joined.Reason);
        // The join opened the node's incident, watched with no end of its own: the storm's let-go resolves it, not dampening.
        Assert.Equal((Incident(), FaultKinds.LinkDown, (DateTimeOffset?)null), (outcome.State.Incident!.Id, outcome.State.Incident.Kind, outcome.State.Incident.ObserveUntil));
    }

    [Fact]
    public void A_node_observing_a_flap_lets_go_of_it_when_its_switch_storms()
    {
        var outcome = Given(FlapOpened()).When(Fault(FaultKinds.LinkFlap), storm: Fabric)
            .ThenTypes(typeof(IncidentResolved), typeof(NodeJoinedStorm)).ThenStatus(NodeStatus.Observing);
        Assert.Equal(Incident(2), outcome.Single<NodeJoinedStorm>().IncidentId);
    }

    [Fact]
    public void An_xid_storm_asks_a_human_instead_of_resetting_every_gpu()
    {
        var outcome = Given().When(Xid(79), storm: XidStorm)
            .ThenTypes(typeof(NodeJoinedStorm)).ThenStatus(NodeStatus.NeedsHuman);
        var joined = outcome.Single<NodeJoinedStorm>();
        Assert.Equal((Incident(), true, true), (joined.IncidentId, joined.Opened, joined.HandedToHuman));
        Assert.True(outcome.State.Incident!.HandedOver);
        Assert.Contains("likely a driver or firmware bug: automation stops here and asks a human", joined.Reason);
    }

    [Fact]
    public void A_repeat_on_a_node_held_by_an_xid_storm_is_counted_not_recorded()
    {
        var first = Given().When(Xid(79, eventId: "e-1"), storm: XidStorm);
        var repeat = Given(first.Stream).When(Xid(79, eventId: "e-2"), T0.AddMinutes(10), storm: XidStorm).Then();
        Assert.Equal(XidFingerprint(79), repeat.Decision.CoalescedFingerprint);
        Assert.Equal(NodeStatus.NeedsHuman, repeat.State.Status);
    }

    [Fact]
    public void A_repeated_flap_under_a_storming_switch_is_counted_for_as_long_as_the_storm_holds_the_node_and_a_different_fault_is_recorded()
    {
        var first = Given().When(Fault(FaultKinds.LinkDown), storm: Fabric);
        var repeat = Given(first.Stream).When(Fault(FaultKinds.LinkDown, eventId: "e-3"), T0.AddSeconds(1), storm: Fabric).Then();
        Assert.NotNull(repeat.Decision.CoalescedFingerprint);
        Assert.NotNull(Given(first.Stream).When(Fault(FaultKinds.LinkDown, eventId: "e-3"), T0.AddMinutes(5), storm: Fabric).Then().Decision.CoalescedFingerprint);
        var other = Given(first.Stream).When(Fault(FaultKinds.LinkFlap, eventId: "e-3"), T0.AddSeconds(1), storm: Fabric).ThenTypes(typeof(FaultReported));
        Assert.StartsWith("part of storm-switch-leaf-3-x", other.Single<FaultReported>().Disposition);
    }

    [Fact]
    public void An_xid_storm_does_not_escalate_a_node_already_remediating()
    {
        var joined = Given(Histories.ResetInFlight()).When(Xid(79, eventId: "e-9"), storm: XidStorm)
            .ThenTypes(typeof(NodeJoinedStorm)).ThenStatus(NodeStatus.Remediating).Single<NodeJoinedStorm>();
        Assert.Equal((Incident(), false, false), (joined.IncidentId, joined.Opened, joined.HandedToHuman));
    }

    [Fact]
    public void A_fault_that_needs_nothing_is_handled_as_usual_in_a_storm()
    {
        Given().When(Xid(13), storm: XidStorm).ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.Healthy);
    }

    [Fact]
    public void The_watch_opens_a_storm_at_the_threshold_and_keeps_it_while_faults_keep_coming()
    {
        var watch = Watch(fabricNodes: 3);
        Assert.Null(watch.Observe(Link("n1"), T0));
        Assert.Null(watch.Observe(Link("n2"), T0.AddSeconds(5)));
        var storm = watch.Observe(Link("n3"), T0.AddSeconds(10));
        Assert.NotNull(storm);
        Assert.True(storm.Fabric);
        Assert.Equal(storm, watch.Observe(Link("n4"), T0.AddSeconds(20)));
        var detected = Assert.Single(watch.Pending());
        Assert.Equal(["n1", "n2", "n3"], detected.Nodes);
        Assert.Equal("switch:leaf-3", detected.Group);
    }

    [Fact]
    public void A_storm_stays_pending_until_a_commit_has_written_it()
    {
        var watch = Watch(fabricNodes: 2);
        watch.Observe(Link("n1"), T0);
        watch.Observe(Link("n2"), T0.AddSeconds(1));
        var first = watch.Pending();
        Assert.Single(first);
        Assert.Equal(first, watch.Pending()); // a failed commit leaves it for the next one
        watch.Committed(first);
        Assert.Empty(watch.Pending());
    }

    [Fact]
    public void Faults_spread_wider_than_the_window_are_no_storm()
    {
        var watch = Watch(fabricNodes: 3);
        watch.Observe(Link("n1"), T0);
        watch.Observe(Link("n2"), T0.AddSeconds(50));
        Assert.Null(watch.Observe(Link("n3"), T0.AddSeconds(120)));
        Assert.Empty(watch.Pending());
    }

    [Fact]
    public void A_node_counts_toward_a_storm_for_a_window_after_its_last_fault_not_its_first()
    {
        var watch = Watch(fabricNodes: 3);
        watch.Observe(Link("n1"), T0);
        watch.Observe(Link("n2"), T0.AddSeconds(10));
        watch.Observe(Link("n1"), T0.AddSeconds(50));
        // n2 is out of the window by now; n1, seen again at 50 s, is not, so n3 makes two and n4 three.
        Assert.Null(watch.Observe(Link("n3"), T0.AddSeconds(80)));
        var storm = watch.Observe(Link("n4"), T0.AddSeconds(81));

        Assert.NotNull(storm);
        Assert.Equal(["n1", "n3", "n4"], Assert.Single(watch.Pending()).Nodes);
    }

    [Fact]
    public void Nodes_without_a_known_switch_never_make_a_fabric_storm()
    {
        var watch = Watch(fabricNodes: 2);
        Assert.Null(watch.Observe(Link("elsewhere-1"), T0));
        Assert.Null(watch.Observe(Link("elsewhere-2"), T0));
    }

    [Fact]
    public void One_sxid_on_the_nvswitches_of_many_nodes_is_an_sxid_storm_not_many_fabric_restarts()
    {
        var watch = new StormWatch(new StormOptions { XidNodes = 3, Window = TimeSpan.FromSeconds(60) }, Topology.Empty);
        Assert.Null(watch.Observe(Sxid("n1", 20034), T0));
        Assert.Null(watch.Observe(Sxid("n2", 22013), T0.AddSeconds(1)));
        Assert.Null(watch.Observe(Sxid("n2", 20034), T0.AddSeconds(2)));

        var storm = watch.Observe(Sxid("n3", 20034), T0.AddSeconds(3));

        Assert.NotNull(storm);
        Assert.False(storm.Fabric);
        Assert.Equal("SXid 20034 on 3 nodes within 60s: likely a driver or firmware bug", storm.Reason);
        Assert.Equal("sxid:20034", Assert.Single(watch.Pending()).Group);
    }

    [Fact]
    public void A_topology_file_with_a_bad_line_names_the_line()
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, ["node,rack,switch", "n1,r1,leaf-3", "n2;r1"]);
        var error = Assert.Throws<TopologyFileException>(() => Topology.Load(path));
        Assert.StartsWith($"{path}:3: expected node,rack,switch", error.Message);
        File.Delete(path);
    }

    private static FaultDetected Link(string node) =>
        new(Guid.NewGuid().ToString(), node, FaultKinds.LinkFlap, null, "mlx5_0/1", "flap", T0, "test", null);

    /// <summary>An SXid as the agent reports it; the storm watch reads only its node and number.</summary>
    private static FaultDetected Sxid(string node, int sxid) =>
        new(Guid.NewGuid().ToString(), node, FaultKinds.Sxid, null, "PCI:0000:05:00.0", null, T0, "kmsg", null, sxid, null, true);

    private static StormWatch Watch(int fabricNodes)
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, ["node,rack,switch", .. Enumerable.Range(1, 5).Select(i => $"n{i},r{i},leaf-3")]);
        var topology = Topology.Load(path);
        File.Delete(path);
        return new StormWatch(new StormOptions { FabricNodes = fabricNodes, Window = TimeSpan.FromSeconds(60) }, topology);
    }
}
