using Remediation.Core.Nodes.Deciding;

namespace Remediation.Specs;

/// <summary>The driver's verdict leads: Xid 154 and nvidia-smi's GPU Recovery Action set the first rung.</summary>
public sealed class VerdictSpecs
{
    private static FaultInput Xid154(string action, string eventId = "e-154") =>
        new(new FaultDetected(eventId, Node, FaultKinds.Xid, 154, Gpu,
            $"NVRM: Xid ({Gpu}): 154, GPU recovery action changed from 0x0 (None) to {action}", T0, "kmsg", "train-a"));

    private static FaultInput SmiVerdict(string action) =>
        new(new FaultDetected("e-smi", Node, FaultKinds.HealthCheckFailed, null, Gpu,
            $"GPU Recovery Action: {action} on GPU 0000:3b:00.0", T0, "nvidia-smi", "train-a"));

    [Fact]
    public void Xid154_asking_for_a_node_reboot_starts_at_reboot_and_says_why()
    {
        var outcome = Given().When(Xid154("0x2 (Node Reboot Required)")).ThenStatus(NodeStatus.AwaitingApproval);

        var started = outcome.Single<RunbookStarted>();
        Assert.Equal("reboot", started.Runbook);
        Assert.Equal("the driver's GPU Recovery Action is Node Reboot Required: starting no lower than reboot", started.Reason);
    }

    [Fact]
    public void Xid154_asking_for_a_reset_starts_the_gpu_reset_runbook()
    {
        Assert.Equal("gpu-reset", Given().When(Xid154("0x1 (GPU Reset Required)")).Single<RunbookStarted>().Runbook);
    }

    [Fact]
    public void Xid154_back_to_none_is_recorded_and_nothing_is_done()
    {
        var reported = Given().When(Xid154("0x0 (None)")).ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.Healthy).Single<FaultReported>();
        Assert.Equal("the driver's GPU Recovery Action is None: the GPU needs nothing", reported.Disposition);
    }

    [Theory]
    [InlineData("Reboot", "reboot")]
    [InlineData("Drain and Reset", "gpu-reset")]
    [InlineData("Drain P2P", "gpu-reset")]
    public void NvidiaSmis_recovery_action_sets_the_first_rung(string action, string runbook)
    {
        Assert.Equal(runbook, Given().When(SmiVerdict(action)).Single<RunbookStarted>().Runbook);
    }

    [Fact]
    public void A_reboot_verdict_during_a_reset_escalates_to_reboot()
    {
        var outcome = Given(Histories.ResetInFlight()).When(Xid154("0x2 (Node Reboot Required)"));

        var escalated = outcome.Single<RunbookEscalated>();
        Assert.Equal(("gpu-reset", "reboot"), (escalated.FromRunbook, escalated.ToRunbook));
        Assert.StartsWith("the driver's GPU Recovery Action is Node Reboot Required", escalated.Reason);
    }

    [Fact]
    public void A_reset_verdict_never_takes_a_reboot_back_down()
    {
        var outcome = Given(Histories.EscalatedRebootInFlight).When(Xid154("0x1 (GPU Reset Required)"))
            .ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.Remediating);

        Assert.Equal("reboot", outcome.State.Incident!.Runbook);
    }
}
