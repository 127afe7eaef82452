using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;
using Remediation.Service.Repair.Rma;
using Remediation.Service.Incidents;

namespace Remediation.Specs;

/// <summary>Before the first destructive step the agent collects the GPUs' identities and a bug report, once per incident.</summary>
public sealed class EvidenceSpecs
{
    // What collect_evidence prints on the two-L4 node of the agent's fixtures (nvidia-smi -q -x of driver 555).
    private const string Collected = """
        $ nvidia-smi -q -x
        gpu 0000:01:00.0 serial=1654523003308 uuid=GPU-c5533cd4-5a60-059e-348d-b6d7466932e4
        gpu 0000:c1:00.0 serial=1654523001128 uuid=GPU-128ab6fb-6ec9-fd74-b479-4a5fd14f55bd
        $ nvidia-bug-report.sh --safe-mode --output-file /var/lib/remediation-agent/evidence/nvidia-bug-report-inc-gpu-node-017-1.log
        bug-report /var/lib/remediation-agent/evidence/nvidia-bug-report-inc-gpu-node-017-1.log.gz 4718592 bytes
        """;

    private static readonly string Collect = Command("gpu-reset", "collect-evidence");

    private static object[] Collecting() =>
        Given(Given().When(Xid(48)).Stream).When(Ok(Command("gpu-reset", "quarantine-node"))).Stream;

    [Fact]
    public void The_evidence_is_collected_after_the_quarantine_and_before_the_reset()
    {
        var asked = Given(Given().When(Xid(48)).Stream).When(Ok(Command("gpu-reset", "quarantine-node"))).Single<StepDispatched>();
        Assert.Equal((Collect, StepActions.CollectEvidence, T1.AddMinutes(10)), (asked.CommandId, asked.Action, asked.Deadline));

        var outcome = Given(Collecting()).When(Result(Collect, StepOutcomes.Succeeded, Collected))
            .ThenTypes(typeof(StepSucceeded), typeof(EvidenceCollected), typeof(StepDispatched));

        var evidence = outcome.Single<EvidenceCollected>();
        Assert.Equal(
            [new GpuIdentity("0000:01:00.0", "1654523003308", "GPU-c5533cd4-5a60-059e-348d-b6d7466932e4"),
             new GpuIdentity("0000:c1:00.0", "1654523001128", "GPU-128ab6fb-6ec9-fd74-b479-4a5fd14f55bd")], evidence.Gpus);
        Assert.Equal("/var/lib/remediation-agent/evidence/nvidia-bug-report-inc-gpu-node-017-1.log.gz 4718592 bytes", evidence.BugReport);
        Assert.Null(evidence.Problem);
        Assert.Equal("gpu_reset", outcome.Single<StepDispatched>().Action);
    }

    [Fact]
    public void Evidence_that_could_not_be_collected_is_recorded_and_the_repair_goes_on()
    {
        var outcome = Given(Collecting()).When(Tick, at: T1.AddMinutes(11))
            .ThenTypes(typeof(StepTimedOut), typeof(EvidenceCollected), typeof(StepDispatched));

        Assert.Equal("collect-evidence did not finish: no result before the deadline", outcome.Single<EvidenceCollected>().Problem);
        Assert.Empty(outcome.Single<EvidenceCollected>().Gpus);
        Assert.Equal("gpu_reset", outcome.Single<StepDispatched>().Action);
    }

    [Fact]
    public void An_escalation_does_not_collect_again()
    {
        var stream = Given(Collecting()).When(Result(Collect, StepOutcomes.Succeeded, Collected)).Stream;
        stream = Given(stream).When(Failed(Command("gpu-reset", "reset-gpu"))).Stream;

        var reload = Given(stream).When(Failed(Command("gpu-reset", "reset-gpu", attempt: 2))).Single<StepDispatched>();

        Assert.Equal("driver_reload", reload.Action);
    }

    [Fact]
    public void The_rma_names_the_faulted_gpu_by_serial_and_uuid_and_carries_the_bug_report()
    {
        var stream = Given(Collecting()).When(Result(Collect, StepOutcomes.Succeeded, Collected)).Stream;
        var timeline = stream.Select((e, i) => new TimelineEntry(i + 1, T0, e.GetType().Name, e)).ToList();

        var request = RmaRequest.For("cmd-1", Node, Incident(), "PCI:0000:c1:00", ["NVRM: Xid (PCI:0000:c1:00): 48"], timeline);

        Assert.Equal(("1654523001128", "GPU-128ab6fb-6ec9-fd74-b479-4a5fd14f55bd", "0000:c1:00.0"), (request.GpuSerial, request.GpuUuid, request.PciAddress));
        Assert.Equal("/var/lib/remediation-agent/evidence/nvidia-bug-report-inc-gpu-node-017-1.log.gz 4718592 bytes", request.BugReport);
        Assert.Equal(2, request.Gpus!.Count);
    }

    [Fact]
    public void Without_evidence_the_rma_still_names_the_device()
    {
        var request = RmaRequest.For("cmd-1", Node, Incident(), "PCI:0000:3b:00", [], []);

        Assert.Equal((null, null, "PCI:0000:3b:00"), (request.GpuSerial, request.GpuUuid, request.PciAddress));
    }

    [Fact]
    public void Runbooks_that_act_on_the_gpu_or_the_node_or_open_an_rma_collect_evidence_and_the_others_do_not()
    {
        Assert.All(new[] { "gpu-reset", "driver-reload", "reboot", "cordon-and-rma" }, name => Assert.NotNull(Runbooks[name].Evidence));
        Assert.Null(Runbooks["link-flap-recovery"].Evidence);
        Assert.Null(Runbooks["fabric-manager-restart"].Evidence);
    }

    [Fact]
    public void An_incident_that_starts_at_the_rma_collects_after_the_approval_and_before_the_cordon()
    {
        var asked = Given().When(Fault(FaultKinds.RowRemap, device: Gpu)).Single<ApprovalRequested>();
        Assert.Equal("cordon-and-rma", asked.Runbook);

        var approved = Given(Given().When(Fault(FaultKinds.RowRemap, device: Gpu)).Stream).When(Approve(asked.ApprovalId))
            .ThenTypes(typeof(ApprovalGranted), typeof(StepDispatched));
        Assert.Equal(StepActions.CollectEvidence, approved.Single<StepDispatched>().Action);

        var cordon = Given(approved.Stream).When(Result(Command("cordon-and-rma", "collect-evidence"), StepOutcomes.Succeeded, Collected))
            .ThenTypes(typeof(StepSucceeded), typeof(EvidenceCollected), typeof(StepDispatched)).Single<StepDispatched>();
        Assert.Equal(StepActions.Cordon, cordon.Action);
    }
}

/// <summary>A reloaded driver is verified by CUDA (dcgmi diag level 1 on the agent), not by nvidia-smi alone.</summary>
public sealed class ReloadVerificationSpecs
{
    [Fact]
    public void The_reload_is_verified_with_a_level_1_diagnostic_of_every_gpu()
    {
        var verify = Given(Histories.ReloadInFlight).When(Ok(Command("driver-reload", "reload-driver"))).Single<StepDispatched>();

        Assert.Equal(("check-gpus", "gpu_health", true), (verify.Step, verify.Action, verify.Verification));
        Assert.Equal(new Dictionary<string, string> { ["device"] = "all", ["diag"] = "1" }, verify.Args);
    }
}
