using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>Which runbook a fault on a healthy node starts, as NVIDIA's Xid catalog and the runbooks say.</summary>
public sealed class XidRoutingSpecs
{
    private const string By = $"agent:kmsg@{Node}";

    [Fact]
    public void Xid79_on_a_healthy_node_starts_reboot_and_waits_for_approval()
    {
        const string why = "Xid 79 ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS (NVIDIA: RESTART_BM)";
        Given().When(Xid(79)).Then(
            new FaultReported(Node, "e-2", FaultKinds.Xid, 79, Gpu, KernelLine(79), XidFingerprint(79), Incident(),
                $"opened incident: {why}", T0, T1, By),
            new IncidentOpened(Node, Incident(), XidFingerprint(79), FaultKinds.Xid, 79, Gpu, KernelLine(79), false, null, T1, By),
            new RunbookStarted(Node, Incident(), "reboot", why, T1, "rule:router"),
            new ApprovalRequested(Node, Incident(), ApprovalId(1), "reboot", "reboot-node", "reboot", 0, T1, T1.AddMinutes(30),
                "runbook:reboot/reboot-node"))
            .ThenStatus(NodeStatus.AwaitingApproval);
    }

    [Fact]
    public void Xid79_with_auto_approve_is_granted_by_policy_and_the_reboot_dispatched()
    {
        var outcome = Given().With(new DeciderOptions { AutoApprove = true }).When(Xid(79))
            .ThenTypes(typeof(FaultReported), typeof(IncidentOpened), typeof(RunbookStarted), typeof(ApprovalRequested),
                typeof(ApprovalGranted), typeof(StepDispatched))
            .ThenStatus(NodeStatus.Remediating);
        Assert.Equal(new ApprovalGranted(Node, ApprovalId(1), "policy:auto-approve", T1), outcome.Single<ApprovalGranted>());
        Assert.Equal(Outcome.Show(QuarantineDispatched("reboot", T1)), Outcome.Show(outcome.Single<StepDispatched>()));
    }

    [Fact]
    public void Xid48_double_bit_ecc_starts_gpu_reset_on_the_faulted_device()
    {
        const string why = "Xid 48 ROBUST_CHANNEL_GPU_ECC_DBE (NVIDIA: WORKFLOW_XID_48)";
        Given().When(Xid(48)).Then(
            new FaultReported(Node, "e-2", FaultKinds.Xid, 48, Gpu, KernelLine(48), XidFingerprint(48), Incident(),
                $"opened incident: {why}", T0, T1, By),
            new IncidentOpened(Node, Incident(), XidFingerprint(48), FaultKinds.Xid, 48, Gpu, KernelLine(48), false, null, T1, By),
            new RunbookStarted(Node, Incident(), "gpu-reset", why, T1, "rule:router"),
            QuarantineDispatched("gpu-reset", T1))
            .ThenStatus(NodeStatus.Remediating);
    }

    [Fact]
    public void Xid119_gsp_timeout_starts_gpu_reset_on_the_faulted_device()
    {
        var outcome = Given().When(Xid(119)).ThenStatus(NodeStatus.Remediating);
        Assert.Equal("gpu-reset", outcome.Single<RunbookStarted>().Runbook);
        var quarantined = Given(outcome.Stream).When(Ok(Command("gpu-reset", "quarantine-node"))).Stream;
        var step = Given(quarantined).When(Ok(Command("gpu-reset", "collect-evidence"))).Single<StepDispatched>();
        Assert.Equal("gpu_reset", step.Action);
        Assert.Equal(Gpu, Assert.Single(step.Args, a => a.Key == "device").Value);
    }

    [Theory]
    [InlineData(13, "RESTART_APP")]
    [InlineData(63, "IGNORE")]
    public void Xid_the_application_owns_or_nvidia_ignores_is_only_recorded(int xid, string bucket)
    {
        var reported = Given().When(Xid(xid)).ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.Healthy)
            .Single<FaultReported>();
        Assert.Null(reported.IncidentId);
        Assert.Contains($"NVIDIA says {bucket}", reported.Disposition);
    }

    // No Xid that applies to H100 is filed under CONTACT_SUPPORT in the catalog, so 54 (CHECK_MECHANICALS, H100: YES)
    // stands for "NVIDIA says a person must look"; 58 is a CONTACT_SUPPORT one from older parts.
    [Theory]
    [InlineData(54, "CHECK_MECHANICALS")]
    [InlineData(58, "CONTACT_SUPPORT")]
    public void Xid_nvidia_sends_to_a_person_hands_the_node_to_a_human(int xid, string bucket)
    {
        var handed = Given().When(Xid(xid))
            .ThenTypes(typeof(FaultReported), typeof(IncidentOpened), typeof(HandedToHuman))
            .ThenStatus(NodeStatus.NeedsHuman)
            .Single<HandedToHuman>();
        Assert.Equal((Incident(), "rule:no-automation"), (handed.IncidentId, handed.CausedBy));
        Assert.Contains($"NVIDIA says {bucket}", handed.Reason);
    }

    [Fact]
    public void Xid_missing_from_the_catalog_hands_the_node_to_a_human()
    {
        var handed = Given().When(Xid(999)).ThenStatus(NodeStatus.NeedsHuman).Single<HandedToHuman>();
        Assert.Equal("Xid 999 is not in NVIDIA's catalog", handed.Reason);
    }

    [Fact]
    public void Xid95_uncontained_is_reset_first_as_nvidias_catalog_says()
    {
        var outcome = Given().When(Xid(95)).ThenStatus(NodeStatus.Remediating);

        var started = outcome.Single<RunbookStarted>();
        Assert.Equal(("gpu-reset", "Xid 95 ROBUST_CHANNEL_UNCONTAINED_ERROR (NVIDIA: RESET_GPU)"), (started.Runbook, started.Reason));
    }

    [Fact]
    public void Xid95_whose_row_remap_failed_goes_to_cordon_and_rma()
    {
        var reset = Given().When(Xid(95)).Stream;

        var outcome = Given(reset).When(Fault(FaultKinds.RowRemap, eventId: "e-3", device: Gpu))
            .ThenTypes(typeof(FaultReported), typeof(RunbookEscalated), typeof(RunbookStarted), typeof(ApprovalRequested));

        Assert.Equal(("gpu-reset", "cordon-and-rma"), (outcome.Single<RunbookEscalated>().FromRunbook, outcome.Single<RunbookEscalated>().ToRunbook));
    }
}
