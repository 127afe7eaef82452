using Remediation.Contracts;
using Remediation.Service.Nodes;
using Remediation.Service.Nodes.Deciding;
using static Remediation.Tests.Specs.Spec;

namespace Remediation.Tests.Specs;

public sealed class NodeDeciderSpecs
{
    [Fact]
    public void Xid48_on_a_healthy_node_opens_an_incident_and_dispatches_a_gpu_reset()
    {
        var d = Given().When(Xid(48));
        Assert.Equal(["FaultReported", "IncidentOpened", "RunbookStarted", "StepDispatched"], Types(d));
        var step = Assert.IsType<StepDispatched>(d.Events[^1]);
        Assert.Equal("gpu_reset", step.Action);
        Assert.Equal("PCI:0000:3b:00", step.Args["device"]);
        Assert.Equal(NodeStatus.Remediating, d.State.Status);
    }

    [Fact]
    public void Xid79_waits_for_approval_to_reboot_when_nothing_auto_approves()
    {
        var d = Given().When(Xid(79), autoApprove: false);
        Assert.Equal("reboot", Assert.IsType<RunbookStarted>(d.Events[2]).Runbook);
        Assert.IsType<ApprovalRequested>(d.Events[^1]);
        Assert.Equal(NodeStatus.AwaitingApproval, d.State.Status);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(63)]
    public void Application_and_informational_xids_are_recorded_and_change_nothing(int xid)
    {
        var d = Given().When(Xid(xid));
        Assert.Equal(["FaultReported"], Types(d));
        Assert.Equal(NodeStatus.Healthy, d.State.Status);
    }

    [Fact]
    public void Xid95_uncontained_goes_straight_to_cordon_and_rma()
    {
        var d = Given().When(Xid(95));
        Assert.Equal("cordon-and-rma", Assert.IsType<RunbookStarted>(d.Events[2]).Runbook);
    }

    [Fact]
    public void Xid79_after_a_failed_reset_goes_to_rma()
    {
        var reset = Given().When(Xid(48));
        var failed = Given([.. reset.Events]).When(Result("inc-gpu-node-017-1/gpu-reset/reset-gpu/1", StepOutcomes.Failed));
        var retryFailed = Given([.. reset.Events, .. failed.Events]).When(Result("inc-gpu-node-017-1/gpu-reset/reset-gpu/2", StepOutcomes.Failed));
        var d = Given([.. reset.Events, .. failed.Events, .. retryFailed.Events]).When(Xid(79, "e-2"));
        var escalated = Assert.Single(d.Events.OfType<RunbookEscalated>());
        Assert.Equal("cordon-and-rma", escalated.ToRunbook);
    }

    [Fact]
    public void Successful_step_is_verified_then_the_incident_resolves()
    {
        var start = Given().When(Xid(48));
        var verify = Given([.. start.Events]).When(Result("inc-gpu-node-017-1/gpu-reset/reset-gpu/1", StepOutcomes.Succeeded));
        Assert.Equal(NodeStatus.Verifying, verify.State.Status);
        var done = Given([.. start.Events, .. verify.Events]).When(Result("inc-gpu-node-017-1/gpu-reset/check-gpu/1", StepOutcomes.Succeeded));
        Assert.Equal(["StepSucceeded", "VerificationPassed", "IncidentResolved"], Types(done));
        Assert.Equal(NodeStatus.Healthy, done.State.Status);
    }

    [Fact]
    public void Step_deadline_passing_times_the_step_out_and_retries_it()
    {
        var start = Given().When(Xid(48));
        var d = Given([.. start.Events]).When(new ClockTick(Node), T0.AddMinutes(3));
        Assert.Equal(["StepTimedOut", "StepDispatched"], Types(d));
        Assert.Equal(2, Assert.IsType<StepDispatched>(d.Events[^1]).Attempt);
    }

    [Fact]
    public void One_link_flap_observes_and_the_window_ending_returns_the_node_to_healthy()
    {
        var flap = Given().When(Fault(FaultKinds.LinkFlap));
        Assert.Equal(NodeStatus.Observing, flap.State.Status);
        var d = Given([.. flap.Events]).When(new ClockTick(Node), T0.AddMinutes(11));
        Assert.Equal(["IncidentResolved"], Types(d));
        Assert.Equal(NodeStatus.Healthy, d.State.Status);
    }

    [Fact]
    public void Three_link_flaps_within_the_window_start_link_flap_recovery()
    {
        var one = Given().When(Fault(FaultKinds.LinkFlap, "f1"));
        var two = Given([.. one.Events]).When(Fault(FaultKinds.LinkFlap, "f2"));
        var three = Given([.. one.Events, .. two.Events]).When(Fault(FaultKinds.LinkFlap, "f3"));
        Assert.Equal("link_bounce", Assert.IsType<StepDispatched>(three.Events[^1]).Action);
    }

    [Fact]
    public void Duplicate_event_id_is_ignored()
    {
        var first = Given().When(Xid(48));
        var d = Given([.. first.Events]).When(Xid(48));
        Assert.Equal(["FaultIgnored"], Types(d));
    }

    [Fact]
    public void Repeat_while_remediating_is_coalesced()
    {
        var first = Given().When(Xid(48));
        var d = Given([.. first.Events]).When(Xid(48, "e-2"));
        Assert.Empty(d.Events);
        Assert.Equal("xid:48:PCI:0000:3b:00", d.CoalescedFingerprint);
    }

    [Fact]
    public void Operator_rejection_hands_the_node_to_a_human_and_a_wrong_id_is_refused()
    {
        var waiting = Given().When(Xid(79), autoApprove: false);
        var approvalId = Assert.IsType<ApprovalRequested>(waiting.Events[^1]).ApprovalId;
        var wrong = Given([.. waiting.Events]).When(new OperatorDecision(Node, "nope", true, "alice", null));
        Assert.NotNull(wrong.Refusal);
        Assert.Empty(wrong.Events);
        var rejected = Given([.. waiting.Events]).When(new OperatorDecision(Node, approvalId, false, "alice", "maintenance window"));
        Assert.Equal(["ApprovalRejected", "HandedToHuman"], Types(rejected));
        Assert.Equal(NodeStatus.NeedsHuman, rejected.State.Status);
    }

    [Fact]
    public void Replaying_the_events_gives_the_state_the_decision_computed()
    {
        var d = Given().When(Xid(48));
        var replayed = NodeEvolution.Fold(Node, d.Events);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(d.State), System.Text.Json.JsonSerializer.Serialize(replayed));
        Assert.Equal(NodeStatus.Remediating, replayed.Status);
    }
}
