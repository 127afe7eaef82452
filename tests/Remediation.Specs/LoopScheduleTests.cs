using Remediation.Core.Nodes;
using Remediation.Core.Storms;
using Remediation.Service.Partitions;
using Remediation.Service.Pipeline;

namespace Remediation.Specs;

/// <summary>
/// The loop's schedule without servers: when time alone moves a held node on, counted from the step's send, paused by
/// outages, and nothing kept for partitions handed back.
/// </summary>
public sealed class LoopScheduleTests
{
    private static readonly DateTimeOffset Decided = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Allowed = TimeSpan.FromMinutes(5);
    private const string Node = "gpu-node-007";

    private readonly PartitionMap _map = new(4, Topology.Empty);
    private readonly TransportOutages _outages = new();
    private readonly LoopSchedule _schedule;

    public LoopScheduleTests()
    {
        _schedule = new LoopSchedule(_map, _outages);
        _schedule.Take(_map.All);
    }

    [Fact]
    public void A_step_sent_late_gets_its_whole_allowance_from_the_send()
    {
        var state = Pending(Node);
        var sentAt = Decided.AddMinutes(10);

        _schedule.Sent(Dispatched(state), sentAt, state);

        Assert.Equal(sentAt + Allowed, _schedule.StepDue(state, waitingToBeSent: false));
        Assert.Empty(_schedule.Due(sentAt + Allowed - TimeSpan.FromSeconds(1)));
        Assert.Equal([Node], _schedule.Due(sentAt + Allowed));
    }

    [Fact]
    public void A_step_waiting_to_be_sent_has_no_deadline_at_all()
    {
        var state = Pending(Node);

        _schedule.Watch(state, waitingToBeSent: true);

        Assert.Equal(DateTimeOffset.MaxValue, _schedule.StepDue(state, waitingToBeSent: true));
        Assert.False(_schedule.HasDeadline(Node), "its command has not left: no time runs for it");
        Assert.Empty(_schedule.Due(DateTimeOffset.MaxValue.AddDays(-1)));
    }

    [Fact]
    public void An_outage_after_the_send_pushes_the_deadline_back_by_its_length()
    {
        var state = Pending(Node);
        _schedule.Sent(Dispatched(state), Decided, state);

        _outages.Observe(down: true, Decided.AddMinutes(1));
        Assert.Equal(DateTimeOffset.MaxValue, _schedule.StepDue(state, waitingToBeSent: false));
        _outages.Observe(down: false, Decided.AddMinutes(4));

        Assert.Equal(Decided + Allowed + TimeSpan.FromMinutes(3), _schedule.StepDue(state, waitingToBeSent: false));
    }

    [Fact]
    public void A_step_another_instance_sent_keeps_its_recorded_deadline()
    {
        var state = Pending(Node);

        _schedule.Watch(state, waitingToBeSent: false);

        Assert.Equal(state.Incident!.Pending!.Deadline, _schedule.StepDue(state, waitingToBeSent: false));
        Assert.Equal([Node], _schedule.Due(state.Incident.Pending.Deadline));
    }

    [Fact]
    public void A_node_deferred_for_budget_waits_for_it_until_its_step_goes()
    {
        var deferred = Pending(Node) with { Incident = Pending(Node).Incident! with { Pending = null, Deferred = new DeferredStep(0, 1, false, "budget", ByBudget: true) } };

        _schedule.Watch(deferred, waitingToBeSent: false);
        Assert.Equal([Node], _schedule.BudgetWaiting);

        _schedule.Watch(Pending(Node), waitingToBeSent: true);
        Assert.Empty(_schedule.BudgetWaiting);
    }

    [Fact]
    public void Handing_partitions_back_forgets_their_nodes_only()
    {
        var mine = Pending(Node);
        var other = Enumerable.Range(0, 100).Select(i => $"gpu-node-{i:000}").First(id => _map.Of(id) != _map.Of(Node));
        _schedule.Watch(mine, waitingToBeSent: false);
        _schedule.Watch(Pending(other), waitingToBeSent: false);

        var released = _schedule.LetGo(new HashSet<int> { _map.Of(Node) });

        Assert.True(released(Node) && !released(other), "the predicate covers the released partition's nodes only");
        Assert.False(_schedule.Owns(Node));
        Assert.True(_schedule.Owns(other));
        Assert.False(_schedule.HasDeadline(Node));
        Assert.True(_schedule.HasDeadline(other));
    }

    private static NodeState Pending(string node) => NodeState.New(node) with
    {
        Status = NodeStatus.Remediating,
        Incident = new Incident($"inc-{node}", "xid:79:-", "xid", 79, null, null, Decided, 1, null, "gpu-reset", [], [],
            new PendingStep($"cmd-{node}", "reset", "gpu_reset", 0, 1, false, Decided + Allowed, new Dictionary<string, string>()), null),
    };

    private static StepDispatched Dispatched(NodeState state)
    {
        var p = state.Incident!.Pending!;
        return new StepDispatched(state.Id, state.Incident.Id, p.CommandId, "gpu-reset", p.Step, p.Action, p.Args, p.StepIndex, p.Attempt,
            p.Verification, p.Deadline, Decided, "rule:test");
    }
}
