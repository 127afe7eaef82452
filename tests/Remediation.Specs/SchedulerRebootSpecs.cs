using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;

namespace Remediation.Specs;

/// <summary>Where Slurm is the scheduler, it reboots the node (scontrol reboot ASAP): the service asks it, not the agent.</summary>
public sealed class SchedulerRebootSpecs
{
    private static readonly DeciderOptions Slurm = new() { RebootThroughScheduler = true };
    private static readonly FleetBudget Full = new(Disruptive: 5, MaxDisruptive: 5, OutOfService: 0, MaxOutOfService: 5);

    private static object[] Quarantining(DeciderOptions options) =>
        Given(Histories.RebootAwaitingApproval).With(options).When(Approve(ApprovalId(runbooksTried: 1))).Stream;

    private static Outcome Quarantined(DeciderOptions options, FleetBudget? budget = null)
    {
        var collecting = Given(Quarantining(options)).With(options).When(Ok(Command("reboot", "quarantine-node"))).Stream;
        return Given(collecting).With(options).When(Ok(Command("reboot", "collect-evidence")), budget: budget);
    }

    [Fact]
    public void With_slurm_the_reboot_after_the_quarantine_is_the_schedulers_and_counts_as_disruptive()
    {
        var outcome = Quarantined(Slurm).ThenTypes(typeof(StepSucceeded), typeof(EvidenceCollected), typeof(StepDispatched));

        var reboot = outcome.Single<StepDispatched>();
        Assert.Equal(("reboot-node", StepActions.SchedulerReboot), (reboot.Step, reboot.Action));
        Assert.True(FleetBudget.IsDisruptive(outcome.State));
    }

    [Fact]
    public void Without_a_rebooting_scheduler_the_agent_reboots()
    {
        var reboot = Quarantined(new DeciderOptions()).Single<StepDispatched>();

        Assert.Equal(StepActions.Reboot, reboot.Action);
    }

    [Fact]
    public void A_scheduler_reboot_over_the_budget_waits()
    {
        var deferred = Quarantined(Slurm, Full).ThenTypes(typeof(StepSucceeded), typeof(EvidenceCollected), typeof(ActionDeferred))
            .Single<ActionDeferred>();

        Assert.Equal("policy:fleet-budget", deferred.CausedBy);
    }

    [Fact]
    public void Once_slurm_has_seen_the_node_back_node_health_verifies_it()
    {
        var back = Result(Command("reboot", "reboot-node"), StepOutcomes.Succeeded,
            "gpu-node-017 is back from its reboot: IDLE, BootTime 2026-11-25T06:51:59 -> 2026-11-25T10:14:02");

        var verify = Given(Quarantined(Slurm).Stream).With(Slurm).When(back)
            .ThenTypes(typeof(StepSucceeded), typeof(StepDispatched)).ThenStatus(NodeStatus.Verifying).Single<StepDispatched>();

        Assert.Equal(("node_health", true), (verify.Action, verify.Verification));
    }

    [Fact]
    public void Jobs_still_running_when_the_reboot_step_ends_mean_wait_and_ask_again()
    {
        var inUse = new StepResultInput(new StepCompleted(Command("reboot", "reboot-node"), Node, StepOutcomes.Failed, StepExitCodes.InUse,
            "gpu-node-017 is MIXED+DRAIN+REBOOT_REQUESTED: jobs still running; Slurm reboots it when they end", T1));

        var again = Given(Given(Quarantined(Slurm).Stream).With(Slurm).When(inUse).ThenTypes(typeof(ActionDeferred)).Stream)
            .With(Slurm).When(Tick, at: T1.AddMinutes(5)).Single<StepDispatched>();

        Assert.Equal((WaitCommand("reboot", "reboot-node", 1), StepActions.SchedulerReboot), (again.CommandId, again.Action));
    }
}
