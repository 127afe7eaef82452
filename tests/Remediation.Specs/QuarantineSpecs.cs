using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;

namespace Remediation.Specs;

/// <summary>Quarantine → drain → act → verify → give back, the shape of every runbook with a disruptive step.</summary>
public sealed class QuarantineSpecs
{
    private const string Drained = "gpu-node-017 is IDLE+DRAIN (Reason=remediation: inc-gpu-node-017-1): drained";

    private static readonly string Quarantine = Command("gpu-reset", "quarantine-node");

    private static Outcome Quarantined() =>
        Given(Given().When(Xid(48)).Stream).When(Result(Quarantine, StepOutcomes.Succeeded, Drained));

    private static Outcome Collected() => Given(Quarantined().Stream).When(Ok(Command("gpu-reset", "collect-evidence")));

    [Fact]
    public void The_node_is_quarantined_before_the_reset_and_the_reset_runs_once_its_work_has_left()
    {
        var outcome = Quarantined().ThenTypes(typeof(StepSucceeded), typeof(NodeQuarantined), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);

        Assert.Equal(Drained, outcome.Single<NodeQuarantined>().Scheduler);
        Assert.Equal(("collect-evidence", StepActions.CollectEvidence), (outcome.Single<StepDispatched>().Step, outcome.Single<StepDispatched>().Action));
        Assert.True(outcome.State.Incident!.Cordoned);
        Assert.True(FleetBudget.IsOutOfService(outcome.State));

        var reset = Collected().ThenTypes(typeof(StepSucceeded), typeof(EvidenceCollected), typeof(StepDispatched)).Single<StepDispatched>();
        Assert.Equal(("reset-gpu", "gpu_reset"), (reset.Step, reset.Action));
    }

    [Fact]
    public void Once_verified_the_node_is_given_back_and_only_then_healthy()
    {
        var stream = Collected().Stream;
        stream = Given(stream).When(Ok(Command("gpu-reset", "reset-gpu"))).Stream;

        var verified = Given(stream).When(Ok(Command("gpu-reset", "check-gpu")))
            .ThenTypes(typeof(StepSucceeded), typeof(VerificationPassed), typeof(StepDispatched)).ThenStatus(NodeStatus.Verifying);
        Assert.Equal(StepActions.Uncordon, verified.Single<StepDispatched>().Action);

        var returned = Given(verified.Stream).When(Ok(verified.Single<StepDispatched>().CommandId))
            .ThenTypes(typeof(StepSucceeded), typeof(NodeReturnedToService), typeof(IncidentResolved)).ThenStatus(NodeStatus.Healthy);
        Assert.False(FleetBudget.IsOutOfService(returned.State));
    }

    [Fact]
    public void Work_still_draining_at_the_deadline_means_wait_and_try_again()
    {
        var draining = new StepResultInput(new StepCompleted(Quarantine, Node, StepOutcomes.Failed, StepExitCodes.InUse,
            "gpu-node-017 is MIXED+DRAIN: jobs still running; not drained yet", T1));

        var outcome = Given(Given().When(Xid(48)).Stream).When(draining)
            .ThenTypes(typeof(ActionDeferred)).ThenStatus(NodeStatus.Remediating);

        Assert.Equal(("quarantine-node", T1.AddMinutes(5)), (outcome.Single<ActionDeferred>().Step, outcome.Single<ActionDeferred>().RetryAt));
        var again = Given(outcome.Stream).When(Tick, at: T1.AddMinutes(5)).Single<StepDispatched>();
        Assert.Equal((WaitCommand("gpu-reset", "quarantine-node", 1), StepActions.Cordon), (again.CommandId, again.Action));
    }

    [Fact]
    public void A_quarantine_the_scheduler_refuses_asks_a_human_and_does_not_climb_the_ladder()
    {
        var refused = Result(Quarantine, StepOutcomes.Failed, "scontrol refused to drain gpu-node-017: Invalid node name specified");

        var outcome = Given(Given().When(Xid(48)).Stream).When(refused)
            .ThenTypes(typeof(StepFailed), typeof(HandedToHuman)).ThenStatus(NodeStatus.NeedsHuman);

        Assert.Contains("could not quarantine the node (scontrol refused to drain", outcome.Single<HandedToHuman>().Reason);
    }

    [Fact]
    public void An_escalation_keeps_the_quarantine_and_does_not_cordon_again()
    {
        var stream = Collected().Stream;
        stream = Given(stream).When(Failed(Command("gpu-reset", "reset-gpu"))).Stream;

        var outcome = Given(stream).When(Failed(Command("gpu-reset", "reset-gpu", attempt: 2)))
            .ThenTypes(typeof(StepFailed), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(StepDispatched));

        Assert.Equal("driver_reload", outcome.Single<StepDispatched>().Action);
        Assert.True(outcome.State.Incident!.Cordoned);
    }

    [Fact]
    public void An_escalation_to_rma_on_a_quarantined_node_does_not_cordon_it_twice()
    {
        var asked = Given(Collected().Stream).When(Fault(FaultKinds.RowRemap, eventId: "e-9", device: Gpu));

        var outcome = Given(asked.Stream).When(Approve(asked.Single<ApprovalRequested>().ApprovalId))
            .ThenTypes(typeof(ApprovalGranted), typeof(NodeCordoned), typeof(StepDispatched)).ThenStatus(NodeStatus.Cordoned);

        Assert.Equal("rule:already-quarantined", outcome.Single<NodeCordoned>().CausedBy);
        Assert.Equal(StepActions.OpenRma, outcome.Single<StepDispatched>().Action);
    }

    [Fact]
    public void A_runbook_whose_quarantine_is_for_other_kinds_acts_at_once()
    {
        var outcome = Given().When(Fault(FaultKinds.LinkDown));

        Assert.Equal("link_bounce", outcome.Single<StepDispatched>().Action);
        Assert.Equal(new HashSet<string> { FaultKinds.LinkFlap }, Runbooks["link-flap-recovery"].Quarantine!.Kinds);
        Assert.Equal(TimeSpan.FromMinutes(10), Runbooks["gpu-reset"].Quarantine!.Timeout);
    }
}
