using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;

namespace Remediation.Specs;

/// <summary>The fleet budget: a disruptive step over budget waits, quietly, and runs once the budget frees.</summary>
public sealed class BudgetSpecs
{
    private static readonly FleetBudget Full = new(Disruptive: 5, MaxDisruptive: 5, OutOfService: 0, MaxOutOfService: 2);
    private static readonly FleetBudget Room = Full with { Disruptive = 4 };
    private static readonly FleetBudget NoRoomToCordon = new(0, 5, OutOfService: 2, MaxOutOfService: 2);

    private static object[] ReloadDue =>
        [.. Histories.ResetInFlight(attempt: 2, quarantined: true)];

    [Fact]
    public void A_disruptive_step_over_budget_is_deferred_with_the_reason()
    {
        var outcome = Given(ReloadDue).When(Failed(Command("gpu-reset", "reset-gpu", attempt: 2)), budget: Full)
            .ThenTypes(typeof(StepFailed), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(ActionDeferred));
        var deferred = outcome.Single<ActionDeferred>();
        Assert.Equal(("driver_reload", "policy:fleet-budget"), (deferred.Action, deferred.CausedBy));
        Assert.Equal("fleet budget: 5 of 5 nodes allowed in disruptive steps already are", deferred.Reason);
        Assert.True(outcome.State.Incident!.Deferred!.ByBudget);
    }

    [Fact]
    public void A_gpu_reset_waits_for_the_budget_to_quarantine_the_node()
    {
        var deferred = Given().When(Xid(48), budget: Full)
            .ThenTypes(typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(ActionDeferred)).Single<ActionDeferred>();
        Assert.Equal(("quarantine-node", StepActions.Cordon), (deferred.Step, deferred.Action));
    }

    [Fact]
    public void A_gpu_reset_of_a_quarantined_node_is_not_held_by_the_budget()
    {
        var quarantining = Given().When(Xid(48), budget: Room).Stream;
        var collecting = Given(quarantining).When(Ok(Command("gpu-reset", "quarantine-node")), budget: Full)
            .ThenTypes(typeof(StepSucceeded), typeof(NodeQuarantined), typeof(StepDispatched));
        Assert.Equal(StepActions.CollectEvidence, collecting.Single<StepDispatched>().Action);
        var reset = Given(collecting.Stream).When(Ok(Command("gpu-reset", "collect-evidence")), budget: Full)
            .ThenTypes(typeof(StepSucceeded), typeof(EvidenceCollected), typeof(StepDispatched)).Single<StepDispatched>();
        Assert.Equal("gpu_reset", reset.Action);
    }

    [Fact]
    public void While_the_budget_stays_full_a_retry_writes_nothing()
    {
        var deferred = Given(ReloadDue).When(Failed(Command("gpu-reset", "reset-gpu", attempt: 2)), budget: Full);
        Given(deferred.Stream).When(Tick, T1.AddMinutes(1), budget: Full).Then();
    }

    [Fact]
    public void Once_the_budget_frees_the_deferred_step_runs()
    {
        var deferred = Given(ReloadDue).When(Failed(Command("gpu-reset", "reset-gpu", attempt: 2)), budget: Full);
        var dispatched = Given(deferred.Stream).When(Tick, T1.AddMinutes(1), budget: Room).ThenTypes(typeof(StepDispatched));
        Assert.Equal("driver_reload", dispatched.Single<StepDispatched>().Action);
    }

    [Fact]
    public void Cordon_waits_when_too_much_of_the_fleet_is_out_of_service()
    {
        var escalated = Given(Histories.RebootAwaitingApproval).With(new DeciderOptions { AutoApprove = true })
            .When(Fault(FaultKinds.RowRemap, eventId: "e-9", device: Gpu), budget: NoRoomToCordon);
        Assert.Equal(StepActions.CollectEvidence, escalated.Single<StepDispatched>().Action);

        var outcome = Given(escalated.Stream).With(new DeciderOptions { AutoApprove = true })
            .When(Ok(Command("cordon-and-rma", "collect-evidence")), budget: NoRoomToCordon);
        Assert.Contains("2 of 2 nodes allowed out of service", outcome.Single<ActionDeferred>().Reason);
    }

    [Fact]
    public void The_budget_follows_each_decision()
    {
        var before = NodeEvolution.Fold(Node, Histories.ResetInFlight());
        var reboot = NodeEvolution.Fold(Node, Histories.EscalatedRebootInFlight);
        Assert.Equal(Room with { Disruptive = 5 }, Room.After(before, reboot));
        Assert.Equal(Room with { Disruptive = 3 }, Room.After(reboot, before));
    }
}
