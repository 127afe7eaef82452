namespace Remediation.Specs;

/// <summary>Faults other than Xids start the runbook that lists their kind, or are only recorded.</summary>
public sealed class FaultKindSpecs
{
    [Theory]
    [InlineData(FaultKinds.Ecc, "gpu-reset", "cordon")]
    [InlineData(FaultKinds.NvLink, "gpu-reset", "cordon")]
    [InlineData(FaultKinds.HealthCheckFailed, "gpu-reset", "cordon")]
    [InlineData(FaultKinds.DriverHang, "driver-reload", "cordon")]
    [InlineData(FaultKinds.LinkDown, "link-flap-recovery", "link_bounce")]
    public void Fault_kind_starts_its_runbook_at_once(string kind, string runbook, string firstAction)
    {
        var outcome = Given().When(Fault(kind, device: Gpu))
            .ThenTypes(typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);
        Assert.Equal(runbook, outcome.Single<RunbookStarted>().Runbook);
        Assert.Equal(firstAction, outcome.Single<StepDispatched>().Action);
    }

    [Theory]
    [InlineData(FaultKinds.PcieDegraded, "reboot")]
    [InlineData(FaultKinds.RowRemap, "cordon-and-rma")]
    public void Fault_kind_with_a_risky_first_step_waits_for_approval(string kind, string runbook)
    {
        var outcome = Given().When(Fault(kind, device: Gpu)).ThenStatus(NodeStatus.AwaitingApproval);
        Assert.Equal(new RunbookStarted(Node, Incident(), runbook, kind, T1, "rule:router"), outcome.Single<RunbookStarted>());
        Assert.Equal(ApprovalId(runbooksTried: 1), outcome.Single<ApprovalRequested>().ApprovalId);
    }

    [Theory]
    [InlineData(FaultKinds.Thermal)]
    [InlineData(FaultKinds.NcclTimeout)]
    [InlineData(FaultKinds.HeartbeatLost)]
    public void Fault_kind_no_runbook_handles_is_only_recorded(string kind)
    {
        var reported = Given().When(Fault(kind)).ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.Healthy)
            .Single<FaultReported>();
        Assert.Equal((null, $"no runbook handles '{kind}'; recorded for the timeline"), (reported.IncidentId, reported.Disposition));
    }
}
