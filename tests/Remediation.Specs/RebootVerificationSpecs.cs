using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>A reboot is verified on a new boot only, within the runbook's boot budget.</summary>
public sealed class RebootVerificationSpecs
{
    private static readonly string Check = Command("reboot", "check-node");

    private static StepResultInput NotRebootedYet(string commandId, DateTimeOffset at) =>
        new(new StepCompleted(commandId, Node, StepOutcomes.Failed, StepExitCodes.InUse,
            "the node has not rebooted yet (still boot 3f5c1b5e-9d0a-4a8e-8e43-6f1f2a7c9b10); node_health waits for the new boot", at));

    private static object[] Verifying() =>
        Given(Histories.EscalatedRebootInFlight).When(Ok(Command("reboot", "reboot-node"))).Stream;

    [Fact]
    public void A_verification_on_the_old_boot_is_asked_again_not_failed()
    {
        var outcome = Given(Verifying()).When(NotRebootedYet(Check, T1), at: T1)
            .ThenTypes(typeof(ActionDeferred)).ThenStatus(NodeStatus.Verifying);

        var deferred = outcome.Single<ActionDeferred>();
        Assert.True(deferred.Verification);
        Assert.Equal(T1.AddMinutes(1), deferred.RetryAt);
        Assert.StartsWith("not yet: the node has not rebooted yet", deferred.Reason);
        Assert.DoesNotContain("verify", outcome.State.Incident!.FailedActions);

        var again = Given(outcome.Stream).When(Tick, at: T1.AddMinutes(1)).ThenStatus(NodeStatus.Verifying).Single<StepDispatched>();
        Assert.Equal((WaitCommand("reboot", "check-node", 1), true), (again.CommandId, again.Verification));
    }

    [Fact]
    public void No_new_boot_within_the_boot_budget_fails_the_verification_and_climbs()
    {
        var stream = Given(Verifying()).When(NotRebootedYet(Check, T1), at: T1).Stream;
        var last = Given(stream).When(Tick, at: T1.AddMinutes(1)).Stream;

        var outcome = Given(last).When(NotRebootedYet(WaitCommand("reboot", "check-node", 1), T1.AddMinutes(31)), at: T1.AddMinutes(31))
            .ThenTypes(typeof(VerificationFailed), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(ApprovalRequested));

        Assert.StartsWith("not verified within 00:30:00", outcome.Single<VerificationFailed>().Output);
        Assert.Equal("cordon-and-rma", outcome.Single<RunbookEscalated>().ToRunbook);
    }

    [Fact]
    public void The_new_boot_verified_resolves_the_incident()
    {
        var stream = Given(Verifying()).When(NotRebootedYet(Check, T1), at: T1).Stream;
        stream = Given(stream).When(Tick, at: T1.AddMinutes(1)).Stream;

        Given(stream).When(Ok(WaitCommand("reboot", "check-node", 1)), at: T1.AddMinutes(18))
            .ThenTypes(typeof(StepSucceeded), typeof(VerificationPassed), typeof(IncidentResolved)).ThenStatus(NodeStatus.Healthy);
    }
}
