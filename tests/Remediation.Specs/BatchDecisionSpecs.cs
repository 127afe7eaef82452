using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Core.Nodes.Deciding;
using Remediation.Service.Pipeline;
using Remediation.Core.Storms;

namespace Remediation.Specs;

/// <summary>
/// One batch decided as the loop decides it before a commit, without servers: each input against its node's state as
/// the batch left it, one budget threaded through, repeats held for counting, and a failing input refused alone.
/// </summary>
public sealed class BatchDecisionSpecs
{
    private const string Other = "gpu-node-018";
    private static readonly FleetBudget Open = new(0, 10, 0, 10);

    [Fact]
    public void A_fault_and_its_repeat_in_one_batch_open_one_incident_and_hold_the_repeat_for_counting()
    {
        var first = Inbound(Xid(48, eventId: "e-1"));
        var repeat = Inbound(Xid(48, eventId: "e-2"));
        var work = Work(Node);

        var outcome = Decision().Decide([first, repeat], [], work, T1, pause: null, Open, _ => null);

        Assert.Contains(work[Node].Events, e => e is IncidentOpened);
        Assert.Equal([first.Delivery!], outcome.Settle);
        var (held, _) = Assert.Single(outcome.Coalesced);
        Assert.Same(repeat, held);
        Assert.Empty(outcome.Refused);
    }

    [Fact]
    public void The_budget_a_decision_takes_is_what_the_next_input_of_the_batch_sees()
    {
        var work = Work(Node, Other);
        var outcome = Decision().Decide([Inbound(Xid(48)), Inbound(Xid(48, Other))], [], work, T1, pause: null, new FleetBudget(0, 1, 0, 10), _ => null);

        // The first node's quarantine (a cordon in flight) takes the one disruptive slot: the second waits for it.
        Assert.Equal(1, outcome.Budget.Disruptive);
        Assert.Contains(work[Node].Events, e => e is StepDispatched { Action: StepActions.Cordon });
        Assert.Contains(work[Other].Events, e => e is ActionDeferred);
        Assert.DoesNotContain(work[Other].Events, e => e is StepDispatched);
    }

    [Fact]
    public void An_input_whose_decision_throws_is_refused_and_the_rest_of_the_batch_is_decided()
    {
        var tick = Inbound(new ClockTick(Other));
        var fault = Inbound(Xid(48));
        var work = Work(Node, Other);

        var outcome = Decision().Decide([tick, fault], [], work, T1, pause: null, Open,
            state => state.Id == Other ? throw new InvalidOperationException("clock broke") : null);

        var (refused, reason) = Assert.Single(outcome.Refused);
        Assert.Same(tick, refused);
        Assert.Equal("decider failed: clock broke", reason);
        Assert.Contains(work[Node].Events, e => e is IncidentOpened);
        Assert.Equal([fault.Delivery!], outcome.Settle);
    }

    [Fact]
    public void Counted_repeats_the_stream_already_holds_are_not_written_again_but_their_deliveries_settle()
    {
        var counted = new FaultRepeated(Node, XidFingerprint(48), 2, T0, T0, "rule:coalesce", ["e-5", "e-6"]);
        var work = new Dictionary<string, NodeWork> { [Node] = new(NodeEvolution.Fold(Node, [.. Histories.ResetInFlight(), counted])) };
        var deliveries = new[] { new Delivery(), new Delivery() };

        var outcome = Decision().Decide([], [(counted with { Count = 3, EventIds = ["e-5", "e-6", "e-7"] }, deliveries)], work, T1, null, Open, _ => null);

        var written = Assert.IsType<FaultRepeated>(Assert.Single(work[Node].Events));
        Assert.Equal(1, written.Count);
        Assert.Equal(["e-7"], written.EventIds!);
        Assert.Equal(deliveries, outcome.Settle);
    }

    [Fact]
    public void Counted_repeats_of_nodes_a_storm_holds_become_one_tally_in_the_storm_stream_and_no_node_event()
    {
        var storm = new Storm("storm-xid-48-x", "Xid 48 on 12 nodes", false);
        var work = new Dictionary<string, NodeWork>
        {
            [Node] = new(Joined(Node, storm)), [Other] = new(Joined(Other, storm)), ["gpu-node-019"] = new(NodeEvolution.Fold("gpu-node-019", Histories.ResetInFlight())),
        };
        var deliveries = new[] { new Delivery(), new Delivery(), new Delivery() };

        var outcome = Decision().Decide([], [
            (Repeated(Node, 5, T0.AddSeconds(1)), [deliveries[0]]), (Repeated(Other, 7, T0.AddSeconds(2)), [deliveries[1]]),
            (Repeated("gpu-node-019", 2, T0.AddSeconds(3)), [deliveries[2]])], work, T1, null, Open, _ => null);

        var (stream, tally) = Assert.Single(outcome.Tallies);
        Assert.Equal("$storm:storm-xid-48-x", stream);
        Assert.Equal(12, tally.Absorbed);
        Assert.Equal([(Node, XidFingerprint(48), 5), (Other, XidFingerprint(48), 7)], tally.Repeats.Select(r => (r.NodeId, r.Fingerprint, r.Count)));
        // The counted eventIds go with the tally, so a redelivery after it commits is known.
        Assert.Equal(Repeated(Node, 5, T0).EventIds, tally.Repeats[0].EventIds);
        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(2), T1), (tally.FirstAt, tally.LastAt, tally.TalliedAt));
        Assert.Empty(work[Node].Events);
        Assert.Empty(work[Other].Events);
        // A node no storm holds keeps its counted repeats in its own stream, as before.
        Assert.Equal(2, Assert.IsType<FaultRepeated>(Assert.Single(work["gpu-node-019"].Events)).Count);
        Assert.Equal(deliveries, outcome.Settle);
    }

    [Fact]
    public void Repeats_a_committed_tally_already_counted_are_settled_and_not_counted_again_when_the_broker_delivers_them_again()
    {
        var storm = new Storm("storm-xid-48-x", "Xid 48 on 12 nodes", false);
        var tallied = new TalliedRepeats();
        var committed = new StormTallied(storm.IncidentId, 3, [new StormRepeats(Node, XidFingerprint(48), 3, ["gpu-node-017-r0", "gpu-node-017-r1", "gpu-node-017-r2"])],
            T0, T0, T0);
        tallied.Read(storm.IncidentId, [(1, committed)]);
        var work = new Dictionary<string, NodeWork> { [Node] = new(Joined(Node, storm)) };
        var again = new Delivery();

        // The same three delivered again, beside two new ones: only the new ones count.
        var outcome = Decision(tallied).Decide([], [(Repeated(Node, 5, T1), [again])], work, T1, null, Open, _ => null);

        var (_, tally) = Assert.Single(outcome.Tallies);
        Assert.Equal(2, tally.Absorbed);
        Assert.Equal(["gpu-node-017-r3", "gpu-node-017-r4"], tally.Repeats.Single().EventIds);
        Assert.Equal([again], outcome.Settle);
        // All of them already counted: nothing to write, the deliveries are still settled.
        var repeatOnly = Decision(tallied).Decide([], [(Repeated(Node, 3, T1), [again])], work, T1, null, Open, _ => null);
        Assert.Empty(repeatOnly.Tallies);
        Assert.Equal([again], repeatOnly.Settle);
        Assert.Empty(work[Node].Events);
    }

    [Fact]
    public void Repeats_counted_while_a_storm_held_the_node_but_flushed_after_it_let_go_stay_on_the_node()
    {
        var storm = new Storm("storm-xid-48-x", "Xid 48 on 12 nodes", false);
        var left = NodeEvolution.Evolve(Joined(Node, storm), new NodeLeftStorm(Node, storm.IncidentId, XidFingerprint(48), 0, T0, T0, "rule:storm"));
        var work = new Dictionary<string, NodeWork> { [Node] = new(left) };

        var outcome = Decision().Decide([], [(Repeated(Node, 4, T0), [new Delivery()])], work, T1, null, Open, _ => null);

        Assert.Empty(outcome.Tallies);
        Assert.Equal(4, Assert.IsType<FaultRepeated>(Assert.Single(work[Node].Events)).Count);
    }

    private static NodeState Joined(string node, Storm storm)
    {
        var decider = new NodeDecider(Runbooks, new DeciderOptions { CommandKey = Key });
        var decision = decider.Decide(NodeState.New(node), Xid(48, node, "e-1"), T0, storm: storm);
        return decision.State;
    }

    private static FaultRepeated Repeated(string node, int count, DateTimeOffset at) =>
        new(node, XidFingerprint(48), count, at, at, "rule:coalesce", Enumerable.Range(0, count).Select(i => $"{node}-r{i}").ToList());

    private static BatchDecision Decision(TalliedRepeats? tallied = null) =>
        new(new NodeDecider(Runbooks, new DeciderOptions { CommandKey = Key }), new StormWatch(new StormOptions(), Topology.Empty),
            tallied ?? new TalliedRepeats(), NullLogger<BatchDecision>.Instance);

    private static Inbound Inbound(NodeInput input) => new(input, new Delivery()) { ReceivedAt = T1 };

    private static FaultInput Xid(int xid, string node = Node, string eventId = "e-2") => new(Inputs.Xid(xid, eventId).Fault with { NodeId = node });

    private static Dictionary<string, NodeWork> Work(params string[] nodes) => nodes.ToDictionary(n => n, n => new NodeWork(NodeState.New(n)));
}
