namespace Remediation.Specs;

/// <summary>The GPU ladder: reset → driver reload → reboot → cordon and RMA → a human.</summary>
public sealed class EscalationSpecs
{
    [Fact]
    public void Failed_reset_is_retried_once()
    {
        var retry = Given(Histories.ResetInFlight()).When(Failed(Command("gpu-reset", "reset-gpu")))
            .ThenTypes(typeof(StepFailed), typeof(StepDispatched)).ThenStatus(NodeStatus.Remediating).Single<StepDispatched>();
        Assert.Equal((Command("gpu-reset", "reset-gpu", attempt: 2), 2, "gpu_reset"), (retry.CommandId, retry.Attempt, retry.Action));
    }

    [Fact]
    public void Failed_reset_after_its_retry_escalates_to_driver_reload()
    {
        var reset = Command("gpu-reset", "reset-gpu", attempt: 2);
        Given(Histories.ResetInFlight(attempt: 2)).When(Failed(reset)).Then(
            new StepFailed(Node, Incident(), reset, "reset-gpu", "gpu_reset", 1, "exit 1", T1, $"agent@{Node}"),
            new RunbookEscalated(Node, Incident(), "gpu-reset", "driver-reload", "reset-gpu failed after 2 attempt(s)", T1, "runbook:gpu-reset"),
            new RunbookStarted(Node, Incident(), "driver-reload", "escalated from gpu-reset: reset-gpu failed after 2 attempt(s)", T1, "rule:router"),
            QuarantineDispatched("driver-reload", T1))
            .ThenStatus(NodeStatus.Remediating);
    }

    [Fact]
    public void Timed_out_reported_by_the_agent_counts_as_a_failure()
    {
        var reset = Command("gpu-reset", "reset-gpu", attempt: 2);
        var outcome = Given(Histories.ResetInFlight(attempt: 2)).When(Result(reset, StepOutcomes.TimedOut))
            .ThenTypes(typeof(StepTimedOut), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(StepDispatched));
        Assert.Equal("driver-reload", outcome.Single<RunbookEscalated>().ToRunbook);
    }

    [Fact]
    public void Failed_reload_escalates_to_reboot_which_asks_for_approval()
    {
        var outcome = Given(Histories.ReloadInFlight).When(Failed(Command("driver-reload", "reload-driver")))
            .ThenTypes(typeof(StepFailed), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(ApprovalRequested))
            .ThenStatus(NodeStatus.AwaitingApproval);
        Assert.Equal(("driver-reload", "reboot"), (outcome.Single<RunbookEscalated>().FromRunbook, outcome.Single<RunbookEscalated>().ToRunbook));
        Assert.Equal((ApprovalId(runbooksTried: 3), "reboot"), (outcome.Single<ApprovalRequested>().ApprovalId, outcome.Single<ApprovalRequested>().Action));
    }

    [Fact]
    public void Failed_reboot_escalates_to_cordon_and_rma_which_asks_again()
    {
        var outcome = Given(Histories.EscalatedRebootInFlight).When(Failed(Command("reboot", "reboot-node")))
            .ThenTypes(typeof(StepFailed), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(ApprovalRequested))
            .ThenStatus(NodeStatus.AwaitingApproval);
        Assert.Equal("cordon-and-rma", outcome.Single<RunbookStarted>().Runbook);
        Assert.Equal((ApprovalId(runbooksTried: 4), "cordon"), (outcome.Single<ApprovalRequested>().ApprovalId, outcome.Single<ApprovalRequested>().Action));
    }

    [Fact]
    public void Cordoned_node_opens_its_rma_ticket_without_asking_twice()
    {
        var outcome = Given(Histories.CordonInFlight()).When(Ok(Command("cordon-and-rma", "cordon-node")))
            .ThenTypes(typeof(StepSucceeded), typeof(NodeCordoned), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Cordoned);
        var ticket = outcome.Single<StepDispatched>();
        Assert.Equal(("open_rma", 1, Gpu), (ticket.Action, ticket.StepIndex, ticket.Args["device"]));
    }

    [Fact]
    public void Opened_rma_ticket_puts_the_node_in_repair()
    {
        object[] given =
        [
            .. Histories.CordonInFlight(), Succeeded("cordon-and-rma", "cordon-node"), new NodeCordoned(Node, Incident(), T0, "given"),
            Dispatched("cordon-and-rma", "open-ticket", "open_rma", index: 1, timeoutMinutes: 5),
        ];
        var outcome = Given(given).When(Ok(Command("cordon-and-rma", "open-ticket")))
            .ThenTypes(typeof(StepSucceeded), typeof(RmaRequested)).ThenStatus(NodeStatus.InRepair);
        Assert.Equal(new RmaRequested(Node, Incident(), Gpu, T1, "runbook:cordon-and-rma/open-ticket", "ok"), outcome.Single<RmaRequested>());
    }

    [Fact]
    public void Failed_last_rung_hands_the_node_to_a_human()
    {
        var cordon = Command("cordon-and-rma", "cordon-node", attempt: 3);
        Given(Histories.CordonInFlight(attempt: 3)).When(Failed(cordon)).Then(
            new StepFailed(Node, Incident(), cordon, "cordon-node", "cordon", 1, "exit 1", T1, $"agent@{Node}"),
            new HandedToHuman(Node, Incident(),
                "automation exhausted: cordon-and-rma cordon-node failed after 3 attempt(s) and it is the last rung", T1, "runbook:cordon-and-rma"))
            .ThenStatus(NodeStatus.NeedsHuman);
    }

    [Fact]
    public void Xid79_after_failed_reset_goes_to_rma()
    {
        var outcome = Given(Histories.ReloadInFlight).When(Xid(79))
            .ThenTypes(typeof(FaultReported), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(ApprovalRequested))
            .ThenStatus(NodeStatus.AwaitingApproval);
        Assert.Equal(("driver-reload", "cordon-and-rma"), (outcome.Single<RunbookEscalated>().FromRunbook, outcome.Single<RunbookEscalated>().ToRunbook));
        Assert.Equal("more severe than driver-reload: escalating", outcome.Single<FaultReported>().Disposition);
    }

    [Fact]
    public void Xid79_soon_after_an_incident_whose_reset_failed_goes_to_rma()
    {
        object[] given =
        [
            .. Histories.ReloadInFlight, Succeeded("driver-reload", "reload-driver"),
            Dispatched("driver-reload", "check-gpus", "gpu_health", index: 1, verification: true, timeoutMinutes: 5),
            Succeeded("driver-reload", "check-gpus"), Resolved(),
        ];
        var started = Given(given).When(Xid(79), T0.AddHours(2)).ThenStatus(NodeStatus.AwaitingApproval).Single<RunbookStarted>();
        Assert.Equal(("cordon-and-rma", Incident(2)), (started.Runbook, started.IncidentId));
        Assert.EndsWith("after gpu_reset failed", started.Reason);
    }
}
