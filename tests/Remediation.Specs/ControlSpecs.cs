using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>People stop automation: a fleet-wide pause, shadow mode, and holding or releasing one node.</summary>
public sealed class ControlSpecs
{
    private static readonly AutomationPause Pause = new("carol", "switch maintenance", T0);

    [Fact]
    public void While_paused_a_new_fault_is_decided_and_recorded_but_its_step_is_deferred()
    {
        Given().Paused(Pause).When(Xid(48))
            .ThenTypes(typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(ActionDeferred))
            .ThenStatus(NodeStatus.Remediating);
    }

    [Fact]
    public void Deferred_step_says_who_paused_and_why()
    {
        var deferred = Given().Paused(Pause).When(Xid(48)).Single<ActionDeferred>();
        Assert.Equal(("cordon", "automation paused by carol: switch maintenance"), (deferred.Action, deferred.Reason));
    }

    [Fact]
    public void Tick_while_still_paused_keeps_the_step_deferred()
    {
        var paused = Given().Paused(Pause).When(Xid(48));
        Given(paused.Stream).Paused(Pause).When(Tick, T1.AddMinutes(5)).Then();
    }

    [Fact]
    public void Once_resumed_the_next_tick_dispatches_the_deferred_step()
    {
        var paused = Given().Paused(Pause).When(Xid(48));
        var resumed = Given(paused.Stream).When(Tick, T1.AddMinutes(5)).ThenTypes(typeof(StepDispatched));
        Assert.Equal(("quarantine-node", "cordon"), (resumed.Single<StepDispatched>().Step, resumed.Single<StepDispatched>().Action));
        Assert.Null(resumed.State.Incident!.Deferred);
    }

    [Fact]
    public void A_result_that_arrives_during_a_pause_still_counts_and_the_next_step_is_deferred()
    {
        Given(Histories.ResetInFlight()).Paused(Pause).When(Ok(Command("gpu-reset", "reset-gpu")))
            .ThenTypes(typeof(StepSucceeded), typeof(ActionDeferred));
    }

    [Fact]
    public void Shadow_mode_records_what_would_have_run_and_executes_nothing()
    {
        var outcome = Given().With(new DeciderOptions { Shadow = true }).When(Xid(48))
            .ThenTypes(typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(StepShadowed), typeof(IncidentResolved))
            .ThenStatus(NodeStatus.Healthy);
        var shadowed = outcome.Single<StepShadowed>();
        Assert.Equal(("gpu_reset", Gpu), (shadowed.Action, shadowed.Args["device"]));
        Assert.Empty(outcome.Events.OfType<StepDispatched>());
    }

    [Fact]
    public void Shadow_mode_asks_no_approval_for_a_risky_step()
    {
        var outcome = Given().With(new DeciderOptions { Shadow = true }).When(Xid(79));
        Assert.Empty(outcome.Events.OfType<ApprovalRequested>());
        Assert.Equal("reboot", outcome.Single<StepShadowed>().Action);
    }

    [Fact]
    public void Hold_takes_a_node_mid_runbook_away_from_automation()
    {
        var held = Given(Histories.ResetInFlight()).When(new OperatorHold(Node, Hold: true, "dave", "debugging by hand"))
            .Then(new NodeHeld(Node, Incident(), "debugging by hand", T1, "operator:dave"))
            .ThenStatus(NodeStatus.NeedsHuman);
        Assert.Null(held.State.Incident!.Pending);
    }

    [Fact]
    public void A_late_result_for_a_held_node_is_ignored()
    {
        var held = Given(Histories.ResetInFlight()).When(new OperatorHold(Node, Hold: true, "dave", "mine now"));
        Given(held.Stream).When(Ok(Command("gpu-reset", "reset-gpu"))).ThenTypes(typeof(StepResultIgnored)).ThenStatus(NodeStatus.NeedsHuman);
    }

    [Fact]
    public void Faults_on_a_held_node_are_recorded_without_action()
    {
        var held = Given(Histories.ResetInFlight()).When(new OperatorHold(Node, Hold: true, "dave", "mine now"));
        Given(held.Stream).When(Xid(79, eventId: "e-9")).ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.NeedsHuman);
    }

    [Fact]
    public void Release_hands_a_node_back_to_automation_and_closes_its_incident()
    {
        var held = Given(Histories.ResetInFlight()).When(new OperatorHold(Node, Hold: true, "dave", "mine now"));
        var released = Given(held.Stream).When(new OperatorHold(Node, Hold: false, "dave", "fixed the cable"), T1.AddMinutes(1))
            .Then(new NodeReleased(Node, Incident(), "fixed the cable", T1.AddMinutes(1), "operator:dave"))
            .ThenStatus(NodeStatus.Healthy);
        Assert.Null(released.State.Incident);
    }

    [Fact]
    public void Release_of_a_node_automation_is_working_on_is_refused()
    {
        var outcome = Given(Histories.ResetInFlight()).When(new OperatorHold(Node, Hold: false, "dave", "why not")).Then();
        Assert.Contains("only a NeedsHuman node can be released", outcome.Decision.Refusal);
    }

    [Fact]
    public void Hold_of_a_node_already_with_a_human_is_refused()
    {
        var held = Given(Histories.ResetInFlight()).When(new OperatorHold(Node, Hold: true, "dave", "mine"));
        var again = Given(held.Stream).When(new OperatorHold(Node, Hold: true, "erin", "mine too")).Then();
        Assert.Contains("already NeedsHuman", again.Decision.Refusal);
    }

    [Fact]
    public void A_refused_approver_is_recorded_and_changes_nothing()
    {
        var asked = ApprovalId(runbooksTried: 1);
        Given(Histories.RebootAwaitingApproval).When(new ApproverRefused(Node, asked, "slack:U999", "not an approver"))
            .Then(new ApprovalRefused(Node, asked, "slack:U999", "not an approver", T1))
            .ThenStatus(NodeStatus.AwaitingApproval);
    }
}
