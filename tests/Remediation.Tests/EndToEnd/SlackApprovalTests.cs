using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Remediation.Service.Approvals.Slack;
using Remediation.Tests.Infrastructure;
using Remediation.Tests.Slack;

namespace Remediation.Tests.EndToEnd;

/// <summary>The whole Slack loop through the real service: message posted, signed click, node moves, message updated.</summary>
public sealed class SlackApprovalTests(Servers servers) : IClassFixture<Servers>, IAsyncLifetime
{
    private FakeSlack _slack = null!;
    private ServiceUnderTest _service = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        _service = await ServiceUnderTest.StartAsync(servers, new Dictionary<string, string?>
        {
            ["Decider:AutoApprove"] = "false",
            ["Slack:SigningSecret"] = SlackEndpointHost.Secret,
            ["Slack:BotToken"] = "xoxb-test",
            ["Slack:Channel"] = "#gpu-remediation",
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
            ["Slack:ApproverIds"] = SlackEndpointHost.Approver,
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task An_approvers_click_in_slack_runs_the_step_and_the_message_shows_who_decided()
    {
        await using var agents = await _service.StartAgentsAsync(["gpu-node-slack"], _ => true);
        await _service.PublishAsync(Faults.Xid("gpu-node-slack", 79));

        var posted = await _slack.NextAsync();
        Assert.Equal("chat.postMessage", posted.Method);
        Assert.Equal("Bearer xoxb-test", posted.Authorization);
        var approvalId = ButtonValue(posted.Body, "approve");
        Assert.Contains("gpu-node-slack", posted.Body.ToJsonString());

        var response = await PostClickAsync("approve", approvalId, SlackEndpointHost.Approver);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await _service.WaitForNodeAsync("gpu-node-slack", n => ServiceUnderTest.IsIdle(n, "Healthy"));
        var updated = await _slack.NextAsync();
        Assert.Equal("chat.update", updated.Method);
        Assert.Equal(FakeSlack.Ts, updated.Body["ts"]!.GetValue<string>());
        Assert.Contains("Approved by", updated.Body.ToJsonString());
        Assert.DoesNotContain("\"actions\"", updated.Body.ToJsonString());
        var granted = Assert.Single(await _service.TimelineAsync("gpu-node-slack"), e => e.Type == "ApprovalGranted");
        Assert.StartsWith($"slack:{SlackEndpointHost.Approver}", granted.Data.GetProperty("approver").GetString());
    }

    [Fact]
    public async Task A_click_by_someone_not_allowed_is_refused_recorded_and_changes_nothing()
    {
        await _service.PublishAsync(Faults.Xid("gpu-node-intruder", 79));
        var approvalId = ButtonValue((await _slack.NextAsync()).Body, "approve");

        await PostClickAsync("approve", approvalId, "U0INTRUDER");

        var reply = await _slack.NextAsync();
        Assert.Equal("response_url", reply.Method);
        await _service.WaitForNodeAsync("gpu-node-intruder", n => n.GetProperty("version").GetInt64() >= 5);
        var timeline = await _service.TimelineAsync("gpu-node-intruder");
        var refused = Assert.Single(timeline, e => e.Type == "ApprovalRefused");
        Assert.StartsWith("slack:U0INTRUDER", refused.Data.GetProperty("who").GetString());
        Assert.DoesNotContain(timeline, e => e.Type == "ApprovalGranted");
        Assert.Equal("AwaitingApproval", (await _service.NodeAsync("gpu-node-intruder")).GetProperty("status").GetString());
    }

    private static string ButtonValue(JsonNode message, string actionId) =>
        message["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "actions")
            .SelectMany(b => b!["elements"]!.AsArray())
            .Single(e => e!["action_id"]!.GetValue<string>() == actionId)!["value"]!.GetValue<string>();

    private async Task<HttpResponseMessage> PostClickAsync(string action, string approvalId, string user)
    {
        var body = SlackEndpointHost.Click(action, approvalId, _slack.ResponseUrl, user);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/interactions") { Content = content };
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignature.SignatureHeader, SlackSignature.Sign(SlackEndpointHost.Secret, timestamp, body));
        return await _service.Http.SendAsync(request);
    }
}
