using Remediation.Cli;
using Remediation.Cli.Commands;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>The operator's terminal: the CLI commands against the running service, as a person would type them.</summary>
public sealed class CliTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Decider:AutoApprove"] = "false" };

    [Fact]
    public async Task Approvals_lists_the_waiting_step_and_approve_lets_it_run()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-cli"], _ => true);
        await Service.PublishAsync(Faults.Xid("gpu-node-cli", 79));
        await Service.WaitForNodeAsync("gpu-node-cli", n => ServiceUnderTest.Is(n, "AwaitingApproval"));

        var listed = await RunAsync(OperatorCommands.ApprovalsAsync, "approvals");
        var approvalId = listed.Split('\n')[1].Split(' ')[0];
        Assert.Contains("gpu-node-cli", listed);
        Assert.StartsWith("apr-", approvalId);

        var approved = await RunAsync((a, o, c) => OperatorCommands.DecideAsync(a, true, o, c), "approve", approvalId);
        Assert.Contains($"{approvalId} approved by api:tester", approved);
        await Service.WaitForNodeAsync("gpu-node-cli", n => ServiceUnderTest.IsIdle(n, "Healthy"));

        var timeline = await RunAsync(TimelineCommand.RunAsync, "timeline", "gpu-node-cli");
        Assert.Contains("ApprovalGranted", timeline);
    }

    [Fact]
    public async Task Reject_hold_release_and_pause_need_a_reason_for_the_audit_trail()
    {
        var error = await Assert.ThrowsAsync<CliException>(() => RunAsync((a, o, c) => OperatorCommands.DecideAsync(a, false, o, c), "reject", "apr-x"));
        Assert.Contains("needs --reason", error.Message);
        await Assert.ThrowsAsync<CliException>(() => RunAsync((a, o, c) => OperatorCommands.PauseAsync(a, true, o, c), "pause"));
        await Assert.ThrowsAsync<CliException>(() => RunAsync((a, o, c) => OperatorCommands.HoldAsync(a, true, o, c), "hold", "gpu-node-1"));
    }

    [Fact]
    public async Task Pause_resume_hold_and_release_say_what_they_did()
    {
        Assert.Contains("automation paused by tester", await RunAsync((a, o, c) => OperatorCommands.PauseAsync(a, true, o, c), "pause", "--reason", "maintenance"));
        Assert.Contains("automation resumed by tester", await RunAsync((a, o, c) => OperatorCommands.PauseAsync(a, false, o, c), "resume"));
        Assert.Contains("gpu-node-h is NeedsHuman", await RunAsync((a, o, c) => OperatorCommands.HoldAsync(a, true, o, c), "hold", "gpu-node-h", "--reason", "cabling"));
        Assert.Contains("gpu-node-h is Healthy", await RunAsync((a, o, c) => OperatorCommands.HoldAsync(a, false, o, c), "release", "gpu-node-h", "--reason", "done"));
    }

    [Fact]
    public async Task A_refusal_from_the_service_is_printed_with_its_reason()
    {
        var error = await Assert.ThrowsAsync<CliException>(() => RunAsync((a, o, c) => OperatorCommands.DecideAsync(a, true, o, c), "approve", "apr-unknown"));
        Assert.Contains("no approval has id 'apr-unknown'", error.Message);
        var denied = await Assert.ThrowsAsync<CliException>(() =>
            RunAsync(OperatorCommands.ApprovalsAsync, "approvals", "--token", "wrong"));
        Assert.Contains("not one of the configured operator tokens", denied.Message);
    }

    [Fact]
    public async Task Rma_closed_for_a_node_not_in_repair_prints_the_refusal()
    {
        await Service.PostAsync("/api/nodes/gpu-node-r/hold", new { reason = "x" });
        var error = await Assert.ThrowsAsync<CliException>(() => RunAsync(OperatorCommands.RmaClosedAsync, "rma-closed", "gpu-node-r", "--resolution", "GPU replaced"));
        Assert.Contains("only a node InRepair has an RMA ticket to close", error.Message);
    }

    private async Task<string> RunAsync(Func<CliArgs, TextWriter, CancellationToken, Task<int>> command, params string[] words)
    {
        var args = new List<string>(words) { "--api", Service.Http.BaseAddress!.ToString().TrimEnd('/') };
        if (!words.Contains("--token")) args.AddRange(["--token", ServiceUnderTest.Token]);
        var output = new StringWriter();
        Assert.Equal(0, await command(new CliArgs(args), output, CancellationToken.None));
        return output.ToString();
    }
}
