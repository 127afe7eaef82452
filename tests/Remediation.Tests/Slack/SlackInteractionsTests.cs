using System.Net;
using Remediation.Service.Approvals;

namespace Remediation.Tests.Slack;

/// <summary>POST /slack/interactions: signed clicks become desk decisions, and everything else changes nothing.</summary>
public sealed class SlackInteractionsTests : IAsyncLifetime
{
    private const string ApprovalId = "appr-0017-reboot";
    private readonly RecordingDesk _desk = new(ApprovalId);
    private FakeSlack _slack = null!;
    private SlackEndpointHost _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        _host = await SlackEndpointHost.StartAsync(_slack, _desk);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private byte[] Click(string action, string approvalId = ApprovalId, string user = SlackEndpointHost.Approver) =>
        SlackEndpointHost.Click(action, approvalId, _slack.ResponseUrl, user);

    [Fact]
    public async Task An_approvers_approve_click_is_answered_at_once_and_decided_at_the_desk()
    {
        var response = await _host.PostAsync(Click("approve"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(new ApprovalCommand(ApprovalId, true, "slack:UA8RXUSPL (jtorrance)", null, "slack"), await _desk.NextAsync());
    }

    [Fact]
    public async Task An_approvers_reject_click_rejects_with_a_reason()
    {
        await _host.PostAsync(Click("reject"));

        Assert.Equal(new ApprovalCommand(ApprovalId, false, "slack:UA8RXUSPL (jtorrance)", "rejected in Slack", "slack"), await _desk.NextAsync());
    }

    [Fact]
    public async Task The_answer_does_not_wait_for_the_decision()
    {
        var commit = new TaskCompletionSource();
        _desk.Gate = commit.Task;

        var response = await _host.PostAsync(Click("approve"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.IsType<ApprovalCommand>(await _desk.NextAsync());
        Assert.False(commit.Task.IsCompleted, "the endpoint answered only after the desk had committed");
        commit.SetResult();
    }

    [Fact]
    public async Task Someone_not_on_the_approver_list_is_refused_privately_and_the_attempt_is_recorded()
    {
        var response = await _host.PostAsync(Click("approve", user: "U0INTRUDER"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await _slack.NextAsync();
        Assert.Equal("response_url", reply.Method);
        Assert.Equal("ephemeral", reply.Body["response_type"]!.GetValue<string>());
        Assert.False(reply.Body["replace_original"]!.GetValue<bool>());
        Assert.Contains("not on this service's list of approvers", reply.Body["text"]!.GetValue<string>());
        Assert.Equal("", reply.Authorization);
        Assert.Equal(new Refusal(ApprovalId, "slack:U0INTRUDER (jtorrance)", "not in Slack:ApproverIds"), await _desk.NextAsync());
        Assert.DoesNotContain(_desk.Calls, c => c is ApprovalCommand);
    }

    [Fact]
    public async Task A_second_click_or_a_replayed_request_changes_nothing_and_says_so()
    {
        var click = Click("approve");

        await _host.PostAsync(click);
        var replay = await _host.PostAsync(click);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var reply = await _slack.NextAsync();
        Assert.Equal("ephemeral", reply.Body["response_type"]!.GetValue<string>());
        Assert.Contains("already decided or has expired", reply.Body["text"]!.GetValue<string>());
        Assert.Equal(2, _desk.Calls.Count);
        Assert.Equal(["response_url"], _slack.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task A_click_on_an_unknown_approval_is_answered_privately()
    {
        await _host.PostAsync(Click("approve", approvalId: "appr-nope"));

        var reply = await _slack.NextAsync();
        Assert.Contains("there is no approval `appr-nope`", reply.Body["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_forged_request_is_refused_before_it_reaches_the_desk()
    {
        var forged = await _host.PostAsync(Click("approve"), signature: SlackSignatureOf("forged"));
        await _host.PostAsync(Click("reject"));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("signature does not match", await forged.Content.ReadAsStringAsync());
        Assert.False(((ApprovalCommand)await _desk.NextAsync()).Approve, "the forged approve reached the desk");
    }

    [Fact]
    public async Task A_stale_request_is_refused()
    {
        var stale = SlackEndpointHost.Now.AddMinutes(-6).ToUnixTimeSeconds().ToString();

        var response = await _host.PostAsync(Click("approve"), timestamp: stale);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("more than 5 minutes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_without_the_signature_headers_is_refused()
    {
        using var content = new ByteArrayContent(Click("approve"));
        var response = await _host.Http.PostAsync("/slack/interactions", content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("missing X-Slack-Request-Timestamp header", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("payload=%7Bnot%20json")]
    [InlineData("token=xyzz0WbapA4vBCDEFasx0q6G")]
    [InlineData("payload=%7B%22type%22%3A%22block_actions%22%7D")]
    public async Task A_signed_but_malformed_body_is_a_bad_request(string body)
    {
        var response = await _host.PostAsync(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_click_on_someone_elses_button_is_accepted_and_ignored()
    {
        var docsExample = SlackEndpointHost.Click("WaXA", "click_me_123", _slack.ResponseUrl);

        var ignored = await _host.PostAsync(docsExample);
        await _host.PostAsync(Click("reject"));

        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
        Assert.Equal(ApprovalId, ((ApprovalCommand)await _desk.NextAsync()).ApprovalId);
    }

    private static string SlackSignatureOf(string text) =>
        "v0=" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
