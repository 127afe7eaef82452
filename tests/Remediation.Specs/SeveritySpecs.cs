using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>A worse fault during a runbook jumps to the more drastic runbook; a milder one is only recorded.</summary>
public sealed class SeveritySpecs
{
    private static readonly FaultInput RemapFailed = Fault(FaultKinds.RowRemap, device: Gpu);

    [Fact]
    public void A_failed_row_remap_during_a_reset_escalates_to_cordon_and_rma()
    {
        var outcome = Given(Histories.ResetInFlight()).When(RemapFailed)
            .ThenTypes(typeof(FaultReported), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(ApprovalRequested))
            .ThenStatus(NodeStatus.AwaitingApproval);
        var escalated = outcome.Single<RunbookEscalated>();
        Assert.Equal(("gpu-reset", "cordon-and-rma"), (escalated.FromRunbook, escalated.ToRunbook));
        Assert.Null(outcome.State.Incident?.Pending);
    }

    [Fact]
    public void Milder_fault_during_a_runbook_is_recorded_without_new_action()
    {
        var reported = Given(Histories.EscalatedRebootInFlight).When(Xid(119))
            .ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.Remediating).Single<FaultReported>();
        Assert.Equal((Incident(), "node is Remediating: recorded, no new action"), (reported.IncidentId, reported.Disposition));
    }

    [Fact]
    public void A_failed_row_remap_while_a_reboot_awaits_approval_escalates_to_cordon_and_rma()
    {
        var outcome = Given(Histories.RebootAwaitingApproval).When(RemapFailed)
            .ThenTypes(typeof(FaultReported), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(ApprovalRequested))
            .ThenStatus(NodeStatus.AwaitingApproval);
        Assert.Equal("cordon-and-rma", outcome.Single<RunbookStarted>().Runbook);
        Assert.Equal(ApprovalId(runbooksTried: 2), outcome.Single<ApprovalRequested>().ApprovalId);
    }

    [Fact]
    public void A_failed_row_remap_during_verification_escalates_to_cordon_and_rma()
    {
        var outcome = Given(Histories.ResetVerifying).When(RemapFailed)
            .ThenTypes(typeof(FaultReported), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(ApprovalRequested))
            .ThenStatus(NodeStatus.AwaitingApproval);
        Assert.Equal("cordon-and-rma", outcome.Single<RunbookStarted>().Runbook);
    }
}
