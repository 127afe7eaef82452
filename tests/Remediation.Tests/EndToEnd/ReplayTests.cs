using Remediation.Cli;
using Remediation.Cli.Commands;
using Remediation.Core.Runbooks;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// History recorded by the real service (an Xid 48 the reset fixes, an Xid 48 whose reset fails and escalates to a
/// driver reload, an application Xid that needs nothing), then replayed with edited runbooks.
/// </summary>
public sealed class ReplayTests(Servers servers) : ServiceTests(servers)
{
    private const string Fixed = "gpu-node-rp1", Escalated = "gpu-node-rp2", Untouched = "gpu-node-rp3";
    private readonly string _schema = $"replay{Guid.NewGuid():N}"[..20];

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Schema"] = _schema };

    [Fact]
    public async Task Identical_runbooks_print_no_differences()
    {
        await RecordHistoryAsync();
        using var same = new EditedRunbooks();

        var output = await ReplayAsync(same.Dir);

        Assert.Contains("no differences", output);
        Assert.Contains("replay: 3 faults replayed on 3 nodes, 2 incidents with the baseline and 2 with the changed runbooks, 0 decisions differ", output);
        Assert.DoesNotContain("baseline:", output);
    }

    [Fact]
    public async Task Gpu_reset_no_longer_triggered_by_xid48_hands_both_xid48_nodes_to_a_human()
    {
        await RecordHistoryAsync();
        var recorded = (await Service.TimelineAsync(Fixed)).Count;
        using var edited = new EditedRunbooks(("gpu-reset.yaml", "[RESET_GPU, WORKFLOW_XID_48, WORKFLOW_NVLINK_ERR]", "[RESET_GPU, WORKFLOW_NVLINK_ERR]"));

        var output = await ReplayAsync(edited.Dir);

        var fixedNode = Block(output, Fixed);
        Assert.Contains("- baseline: opened incident: Xid 48 ROBUST_CHANNEL_GPU_ECC_DBE", fixedNode);
        Assert.Contains("runbooks gpu-reset; steps gpu-reset/quarantine-node ok, gpu-reset/collect-evidence ok, gpu-reset/reset-gpu ok, gpu-reset/check-gpu ok, gpu-reset/uncordon-node ok; no approvals; resolved", fixedNode);
        Assert.Contains("+ changed:  Xid 48 ROBUST_CHANNEL_GPU_ECC_DBE: NVIDIA says", fixedNode);
        Assert.Contains("no runbook automates it; no runbook; no steps; no approvals; handed to a human", fixedNode);
        Assert.Contains($"{Fixed}  final state: Healthy with the baseline, NeedsHuman with the changed runbooks", output);
        Assert.Contains($"{Escalated}  Xid 48", output);
        Assert.DoesNotContain(Untouched, output);
        Assert.Contains("2 decisions differ, 2 final states differ", output);
        Assert.Equal(recorded, (await Service.TimelineAsync(Fixed)).Count);
    }

    [Fact]
    public async Task Changed_on_failure_replays_the_recorded_reset_failure_into_the_new_rung()
    {
        await RecordHistoryAsync();
        using var edited = new EditedRunbooks(("gpu-reset.yaml", "onFailure: driver-reload", "onFailure: reboot"));

        var output = await ReplayAsync(edited.Dir);

        var escalated = Block(output, Escalated);
        Assert.Contains("- baseline: opened incident: Xid 48", escalated);
        Assert.Contains("runbooks gpu-reset > driver-reload; steps gpu-reset/quarantine-node ok, gpu-reset/collect-evidence ok, gpu-reset/reset-gpu failed, gpu-reset/reset-gpu failed, driver-reload/reload-driver ok", escalated);
        // The node stays quarantined across the escalation, so the new rung does not cordon it again.
        Assert.Contains("runbooks gpu-reset > reboot; steps gpu-reset/quarantine-node ok, gpu-reset/collect-evidence ok, gpu-reset/reset-gpu failed, gpu-reset/reset-gpu failed, reboot/reboot-node ok, reboot/check-node ok, reboot/uncordon-node ok; approvals reboot/reboot-node; resolved", escalated);
        Assert.DoesNotContain(Fixed, output);
        Assert.Contains("1 decisions differ, 0 final states differ", output);
        Assert.Contains("2 step result(s) assumed successful", output);
    }

    [Fact]
    public async Task A_broken_runbook_directory_fails_with_the_file_and_line()
    {
        using var broken = new EditedRunbooks(("reboot.yaml", "action: reboot", "action: reboot_harder"));

        var error = await Assert.ThrowsAsync<RunbookFileException>(() => ReplayAsync(broken.Dir));

        Assert.Equal(broken.PathOf("reboot.yaml"), error.File);
        Assert.Contains($"reboot.yaml:{error.Line}: unknown action 'reboot_harder'", error.Message);
        Assert.True(error.Line > 0);
    }

    [Fact]
    public async Task A_schema_without_an_event_store_is_refused_not_created()
    {
        var args = new CliArgs(["replay", "--runbooks", Repo.Runbooks, "--postgres", Servers.Postgres, "--schema", "replay_nothing_here"]);

        var error = await Assert.ThrowsAsync<CliException>(() => ReplayCommand.RunAsync(args, TextWriter.Null, CancellationToken.None));

        Assert.Contains("schema 'replay_nothing_here' has no event store", error.Message);
    }

    [Theory]
    [InlineData("2026-11-01T00:00:00Z", "2026-11-01T00:00:00+00:00")]
    [InlineData("90m", "2026-11-25T10:30:00+00:00")]
    [InlineData("2d", "2026-11-23T12:00:00+00:00")]
    public void Since_takes_an_instant_or_an_age(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), ReplayCommand.Since(text, DateTimeOffset.Parse("2026-11-25T12:00:00Z")));

    [Fact]
    public void Since_refuses_anything_else() =>
        Assert.Throws<CliException>(() => ReplayCommand.Since("yesterday", DateTimeOffset.UtcNow));

    private async Task RecordHistoryAsync()
    {
        await using var agents = await Service.StartAgentsAsync([Fixed, Escalated, Untouched],
            step => !(step.NodeId == Escalated && step.Action == "gpu_reset"));
        await Service.PublishAsync(Faults.Xid(Fixed, 48), Faults.Xid(Escalated, 48), Faults.Xid(Untouched, 13));
        await Service.WaitForNodeAsync(Fixed, n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);
        await Service.WaitForNodeAsync(Escalated, n => ServiceUnderTest.IsIdle(n, "Healthy") && n.GetProperty("version").GetInt64() > 1);
        await Service.WaitForNodeAsync(Untouched, n => n.GetProperty("version").GetInt64() >= 1);
    }

    private async Task<string> ReplayAsync(string runbooks)
    {
        var output = new StringWriter();
        var args = new CliArgs(["replay", "--runbooks", runbooks, "--baseline", Repo.Runbooks, "--since", "1h",
            "--postgres", Servers.Postgres, "--schema", _schema]);
        Assert.Equal(0, await ReplayCommand.RunAsync(args, output, CancellationToken.None));
        return output.ToString();
    }

    /// <summary>The lines printed about one node.</summary>
    private static string Block(string output, string node) =>
        string.Join('\n', output.Split('\n').SkipWhile(l => !l.StartsWith(node, StringComparison.Ordinal)).TakeWhile(l => l.StartsWith(node, StringComparison.Ordinal) || l.StartsWith("  ", StringComparison.Ordinal)));
}
