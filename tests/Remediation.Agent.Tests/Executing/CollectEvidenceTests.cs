using Remediation.Agent.Executing.Actions;
using Remediation.Agent.Running;
using Remediation.Agent.Tests.Support;
using Remediation.Contracts;
using static Remediation.Agent.Tests.Support.Steps;

namespace Remediation.Agent.Tests.Executing;

/// <summary>Evidence before a destructive step: the GPUs' identities from nvidia-smi and a bounded nvidia-bug-report.</summary>
public sealed class CollectEvidenceTests : IDisposable
{
    private const string Incident = "inc-gpu-node-017-1";
    private readonly HostTree _host = HostTree.Copy();
    private readonly FakeRunner _runner = FakeRunner.OnL4Node();
    private readonly string _state = StateDir();

    private string Evidence => Path.Combine(_state, "evidence");
    private string Report => Path.Combine(Evidence, $"nvidia-bug-report-{Incident}.log.gz");

    private static StepRequested Collect() =>
        Step("collect_evidence", commandId: "inc-gpu-node-017-1/gpu-reset/collect-evidence/1") with { Deadline = Now.AddMinutes(10) };

    private Task<StepCompleted> Run(StepRequested? step = null) => Executor(_host, _runner, _state).ExecuteAsync(step ?? Collect(), default);

    /// <summary>nvidia-bug-report.sh as the fake runs it: writes <paramref name="bytes"/> into OUTPUT.gz.</summary>
    private void BugReportWrites(long bytes, CommandResult result) =>
        _runner.When(a => a.File == "nvidia-bug-report.sh", () =>
        {
            using (var file = File.Create(LastOutputFile() + ".gz")) file.SetLength(bytes);
            return result;
        });

    private string LastOutputFile() => _runner.Calls[^1].Args[^1];

    [Fact]
    public async Task Names_every_gpu_by_serial_uuid_and_pci_address_and_keeps_the_bug_report()
    {
        BugReportWrites(4_718_592, new CommandResult(0, ""));

        var result = await Run();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("gpu 0000:01:00.0 serial=1654523003308 uuid=GPU-c5533cd4-5a60-059e-348d-b6d7466932e4", result.Output);
        Assert.Contains("gpu 0000:c1:00.0 serial=1654523001128 uuid=GPU-128ab6fb-6ec9-fd74-b479-4a5fd14f55bd", result.Output);
        Assert.Contains($"bug-report {Report} 4718592 bytes", result.Output);
        Assert.Equal(["nvidia-smi -q -x", $"nvidia-bug-report.sh --safe-mode --output-file {Path.Combine(Evidence, $"nvidia-bug-report-{Incident}.log")}"],
            _runner.Lines);
        Assert.True(File.Exists(Report));
    }

    [Fact]
    public async Task The_bug_report_is_bounded_in_time_and_what_it_wrote_by_then_is_kept()
    {
        BugReportWrites(1000, new CommandResult(137, "", TimedOut: true));

        var result = await Run();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Equal(CollectEvidence.ReportLimit, _runner.Timeouts[^1]);
        Assert.Contains($"bug-report {Report} 1000 bytes (incomplete: stopped after 5 min)", result.Output);
    }

    [Fact]
    public async Task A_report_over_the_size_cap_is_deleted_and_said_so()
    {
        BugReportWrites(CollectEvidence.MaxReportBytes + 1, new CommandResult(0, ""));

        var result = await Run();

        Assert.True(StepOutcomes.Succeeded == result.Outcome, result.Output);
        Assert.Contains("bug report deleted", result.Output);
        Assert.DoesNotContain("bug-report /", result.Output);
        Assert.False(File.Exists(Report));
    }

    [Fact]
    public async Task Without_nvidia_bug_report_or_an_answering_nvidia_smi_the_repair_still_goes_on()
    {
        _runner.When(a => a.File == "nvidia-smi", new CommandResult(15, "Unable to determine the device handle for GPU0000:01:00.0: Unknown Error"));
        _runner.When(a => a.File == "nvidia-bug-report.sh", new CommandResult(127, "cannot start nvidia-bug-report.sh: No such file or directory"));

        var result = await Run();

        Assert.Equal(StepOutcomes.Succeeded, result.Outcome);
        Assert.Contains("nvidia-smi did not answer\nthe GPUs could not be identified", result.Output);
        Assert.Contains("no bug report: nvidia-bug-report.sh is not installed", result.Output);
    }

    [Fact]
    public async Task A_gpu_nvidia_smi_no_longer_names_is_identified_from_the_inventory()
    {
        new Remediation.Agent.Executing.NodeInventory(
            [new("0000:01:00.0", "1654523003308", "GPU-c5533cd4-5a60-059e-348d-b6d7466932e4"), new("0000:3b:00.0", "1652223012345", "GPU-8d3f5a3e")],
            ["mlx5_0"], "configuration", Now).Save(Path.Combine(_state, "inventory.json"));
        BugReportWrites(10, new CommandResult(0, ""));

        var result = await Run();

        Assert.Contains("gpu 0000:01:00.0 serial=1654523003308", result.Output);
        Assert.Contains("from the node's inventory, for the GPUs nvidia-smi did not name:\ngpu 0000:3b:00.0 serial=1652223012345 uuid=GPU-8d3f5a3e", result.Output);
    }

    [Fact]
    public async Task Only_the_newest_reports_are_kept()
    {
        Directory.CreateDirectory(Evidence);
        for (var i = 0; i < CollectEvidence.KeepReports + 3; i++)
        {
            var old = Path.Combine(Evidence, $"nvidia-bug-report-inc-old-{i}.log.gz");
            await File.WriteAllTextAsync(old, "old");
            File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-30 + i));
        }
        BugReportWrites(10, new CommandResult(0, ""));

        await Run();

        var kept = Directory.GetFiles(Evidence).Select(Path.GetFileName).ToList();
        Assert.Equal(CollectEvidence.KeepReports, kept.Count);
        Assert.Contains(Path.GetFileName(Report), kept);
        Assert.DoesNotContain("nvidia-bug-report-inc-old-0.log.gz", kept);
    }

    [Fact]
    public async Task An_incident_id_that_is_no_plain_file_name_is_hashed()
    {
        BugReportWrites(10, new CommandResult(0, ""));

        var result = await Run(Step("collect_evidence", commandId: "c-1") with { IncidentId = "inc/gpu-node-017:1" });

        Assert.Matches(@"bug-report \S+/evidence/nvidia-bug-report-[0-9a-f]{16}\.log\.gz 10 bytes", result.Output);
    }

    public void Dispose()
    {
        _host.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
