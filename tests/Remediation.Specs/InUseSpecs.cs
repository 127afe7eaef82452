using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>"In use" means wait: a step the agent found GPU processes for is tried again later, never failed or escalated.</summary>
public sealed class InUseSpecs
{
    private const string ResetBusy = "$ nvidia-smi --query-compute-apps=pid --format=csv,noheader -i 0000:3b:00.0\n40211\n" +
        "GPU 0000:3b:00.0 is in use by pid 40211; nothing was done: waiting for the work to leave\n";

    private static StepResultInput InUse(string commandId, DateTimeOffset? at = null) =>
        new(new StepCompleted(commandId, Node, StepOutcomes.Failed, StepExitCodes.InUse, ResetBusy, at ?? T1));

    [Fact]
    public void A_reset_that_finds_the_GPU_in_use_waits_and_is_not_a_failure()
    {
        var outcome = Given(Histories.ResetInFlight()).When(InUse(Command("gpu-reset", "reset-gpu")));

        var deferred = outcome.ThenTypes(typeof(ActionDeferred)).ThenStatus(NodeStatus.Remediating).Single<ActionDeferred>();
        Assert.Equal((T1.AddMinutes(5), (DateTimeOffset?)T1), (deferred.RetryAt, deferred.WaitingSince));
        Assert.Contains("in use: GPU 0000:3b:00.0 is in use by pid 40211", deferred.Reason);
        Assert.Contains("the ladder does not climb", deferred.Reason);
        Assert.Empty(outcome.State.Incident!.FailedActions);
        Assert.Null(outcome.State.Incident.Pending);
        Assert.Equal(T1.AddMinutes(5), NodeDecider.NextDeadline(outcome.State));
    }

    [Fact]
    public void Nothing_is_dispatched_again_before_the_retry_time()
    {
        var waiting = Given(Histories.ResetInFlight()).When(InUse(Command("gpu-reset", "reset-gpu"))).Stream;

        Given(waiting).When(Tick, at: T1.AddMinutes(4)).Then();
    }

    [Fact]
    public void At_the_retry_time_the_step_is_dispatched_again_under_a_new_command_id()
    {
        var waiting = Given(Histories.ResetInFlight()).When(InUse(Command("gpu-reset", "reset-gpu"))).Stream;

        var again = Given(waiting).When(Tick, at: T1.AddMinutes(5))
            .ThenTypes(typeof(StepDispatched)).ThenStatus(NodeStatus.Remediating).Single<StepDispatched>();

        Assert.Equal((WaitCommand("gpu-reset", "reset-gpu", 1), "gpu_reset", 1), (again.CommandId, again.Action, again.Attempt));
    }

    [Fact]
    public void A_retry_that_runs_goes_on_to_verification_as_if_nothing_had_waited()
    {
        var waiting = Given(Histories.ResetInFlight()).When(InUse(Command("gpu-reset", "reset-gpu"))).Stream;
        var retried = Given(waiting).When(Tick, at: T1.AddMinutes(5)).Stream;

        var outcome = Given(retried).When(Ok(WaitCommand("gpu-reset", "reset-gpu", 1)), at: T1.AddMinutes(6))
            .ThenTypes(typeof(StepSucceeded), typeof(StepDispatched)).ThenStatus(NodeStatus.Verifying);

        Assert.Null(outcome.State.Incident!.InUse);
        Assert.Equal(Command("gpu-reset", "check-gpu"), outcome.Single<StepDispatched>().CommandId);
    }

    [Fact]
    public void Still_in_use_after_the_wait_asks_a_human_and_never_escalates()
    {
        var options = new DeciderOptions { InUseRetry = TimeSpan.FromMinutes(30), InUseWait = TimeSpan.FromHours(1) };
        var stream = Given(Histories.ResetInFlight()).With(options).When(InUse(Command("gpu-reset", "reset-gpu"))).Stream;
        stream = Given(stream).With(options).When(Tick, at: T1.AddMinutes(30)).Stream;
        stream = Given(stream).With(options).When(InUse(WaitCommand("gpu-reset", "reset-gpu", 1)), at: T1.AddMinutes(31)).Stream;
        var last = Given(stream).With(options).When(Tick, at: T1.AddMinutes(60)).Single<StepDispatched>();
        Assert.Equal(WaitCommand("gpu-reset", "reset-gpu", 2), last.CommandId);
        stream = [.. stream, last];

        var outcome = Given(stream).With(options).When(InUse(last.CommandId, T1.AddMinutes(61)), at: T1.AddMinutes(61))
            .ThenTypes(typeof(HandedToHuman)).ThenStatus(NodeStatus.NeedsHuman);

        Assert.Contains("still finds the node in use after 01:01:00", outcome.Single<HandedToHuman>().Reason);
        Assert.DoesNotContain(outcome.Stream, e => e is RunbookEscalated or StepFailed);
    }

    [Fact]
    public void A_reboot_under_running_jobs_waits_instead_of_going_on_to_cordon_and_rma()
    {
        var reboot = Command("reboot", "reboot-node", incident: 1);

        var outcome = Given(Histories.EscalatedRebootInFlight).When(InUse(reboot));

        var deferred = outcome.ThenTypes(typeof(ActionDeferred)).ThenStatus(NodeStatus.Remediating).Single<ActionDeferred>();
        Assert.Equal(("reboot", "reboot-node"), (deferred.Runbook, deferred.Step));
        Assert.DoesNotContain("reboot", outcome.State.Incident!.FailedActions);
    }

    [Fact]
    public void A_plain_failure_still_climbs_the_ladder()
    {
        Given(Histories.ResetInFlight(attempt: 2)).When(Failed(Command("gpu-reset", "reset-gpu", attempt: 2)))
            .ThenTypes(typeof(StepFailed), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(StepDispatched));
    }
}
