using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>Risky steps wait for an operator over HTTP (the CLI uses the same endpoints), with the same rules as Slack.</summary>
public sealed class ApprovalTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Decider:AutoApprove"] = "false" };

    [Fact]
    public async Task Approving_over_http_runs_the_risky_step_and_records_the_operator()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-apr"], _ => true);
        var approvalId = await WaitForApprovalAsync("gpu-node-apr");
        Assert.Equal(0, agents.StepsRun);

        var (status, body) = await Service.PostAsync($"/api/approvals/{approvalId}/approve");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Decided", body.GetProperty("kind").GetString());
        await Service.WaitForNodeAsync("gpu-node-apr", n => ServiceUnderTest.IsIdle(n, "Healthy"));
        var timeline = await Service.TimelineAsync("gpu-node-apr");
        var granted = Assert.Single(timeline, e => e.Type == "ApprovalGranted");
        Assert.Equal("api:tester", granted.Data.GetProperty("approver").GetString());
        Assert.Empty(await Service.Http.GetFromJsonAsync<List<JsonElement>>("/api/approvals") ?? []);
    }

    [Fact]
    public async Task Rejecting_hands_the_node_to_a_human_and_runs_nothing()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-rej"], _ => true);
        var approvalId = await WaitForApprovalAsync("gpu-node-rej");

        var (status, _) = await Service.PostAsync($"/api/approvals/{approvalId}/reject", new { reason = "training run ends in 10m" });

        Assert.Equal(HttpStatusCode.OK, status);
        await Service.WaitForNodeAsync("gpu-node-rej", n => ServiceUnderTest.Is(n, "NeedsHuman"));
        var timeline = await Service.TimelineAsync("gpu-node-rej");
        Assert.DoesNotContain(timeline, e => e.Type == "StepDispatched");
        Assert.Equal("training run ends in 10m", Assert.Single(timeline, e => e.Type == "ApprovalRejected").Data.GetProperty("reason").GetString());
        Assert.Equal(0, agents.StepsRun);
    }

    [Fact]
    public async Task The_first_decision_wins_and_a_second_one_is_409()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-twice"], _ => true);
        var approvalId = await WaitForApprovalAsync("gpu-node-twice");

        var first = await Service.PostAsync($"/api/approvals/{approvalId}/approve");
        var second = await Service.PostAsync($"/api/approvals/{approvalId}/reject", new { reason = "too late" });

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Contains("already decided or it expired", second.Body.GetProperty("detail").GetString());
        var timeline = await Service.TimelineAsync("gpu-node-twice");
        Assert.DoesNotContain(timeline, e => e.Type == "ApprovalRejected");
    }

    [Fact]
    public async Task Bad_approval_requests_get_a_4xx_with_the_reason()
    {
        var unknown = await Service.PostAsync("/api/approvals/apr-nope/approve");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("no approval has id 'apr-nope'", unknown.Body.GetProperty("detail").GetString());

        var approvalId = await WaitForApprovalAsync("gpu-node-noreason");
        var noReason = await Service.PostAsync($"/api/approvals/{approvalId}/reject");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Contains("needs a reason", noReason.Body.GetProperty("detail").GetString());
    }

    private async Task<string> WaitForApprovalAsync(string node)
    {
        await Service.PublishAsync(Faults.Xid(node, 79));
        await Service.WaitForNodeAsync(node, n => ServiceUnderTest.Is(n, "AwaitingApproval"));
        var pending = await Service.Http.GetFromJsonAsync<List<JsonElement>>("/api/approvals");
        var approval = Assert.Single(pending!, a => a.GetProperty("nodeId").GetString() == node);
        Assert.Equal("reboot", approval.GetProperty("runbook").GetString());
        return approval.GetProperty("approvalId").GetString()!;
    }
}

/// <summary>An approval nobody answers expires, and nothing runs.</summary>
public sealed class ApprovalExpiryTests(Servers servers) : ServiceTests(servers)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Decider:AutoApprove"] = "false",
        ["Approvals:Timeout"] = "00:00:01",
    };

    [Fact]
    public async Task Unanswered_approval_expires_and_the_node_needs_a_human()
    {
        await using var agents = await Service.StartAgentsAsync(["gpu-node-exp"], _ => true);
        await Service.PublishAsync(Faults.Xid("gpu-node-exp", 79));

        await Service.WaitForNodeAsync("gpu-node-exp", n => ServiceUnderTest.Is(n, "NeedsHuman"));

        var timeline = await Service.TimelineAsync("gpu-node-exp");
        Assert.Contains(timeline, e => e.Type == "ApprovalExpired");
        Assert.DoesNotContain(timeline, e => e.Type == "StepDispatched");
        Assert.Equal(0, agents.StepsRun);
    }
}
