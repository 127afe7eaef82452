using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Service.Approvals;
using Remediation.Service.Approvals.Slack;
using Remediation.Store;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.Slack;

/// <summary>The notifier against a fake Slack, remembering messages in a real PostgreSQL schema of its own.</summary>
public sealed class SlackApprovalNotifierTests(Servers servers) : IClassFixture<Servers>, IAsyncLifetime
{
    private const string Token = "xoxb-test-token";
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-25T10:00:00Z");

    private static readonly ApprovalNotice Notice = new("appr-0017-reboot", "gpu-node-017", "inc-42", "reboot", "reboot-node", "reboot",
        "xid 79", "NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus.", ["gpu-reset: failed", "driver-reload: failed"],
        At, At.AddMinutes(30));

    private FakeSlack _slack = null!;
    private ServiceProvider _services = null!;
    private IApprovalNotifier _notifier = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = Token,
            ["Slack:Channel"] = "#gpu-approvals",
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString().TrimEnd('/'),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddMarten(o => o.ConfigureNodes(servers.Postgres, $"slack{Guid.NewGuid():N}"[..20]));
        services.AddSlack(config);
        _services = services.BuildServiceProvider();
        _notifier = _services.GetRequiredService<IApprovalNotifier>();
    }

    public async Task DisposeAsync()
    {
        await _services.GetRequiredService<IDocumentStore>().Advanced.Clean.CompletelyRemoveAllAsync();
        await _services.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task A_requested_approval_is_posted_to_the_channel_with_approve_and_reject_buttons()
    {
        await _notifier.RequestedAsync(Notice, CancellationToken.None);

        var post = await _slack.NextAsync();
        Assert.Equal("chat.postMessage", post.Method);
        Assert.Equal($"Bearer {Token}", post.Authorization);
        Assert.StartsWith("application/json", post.ContentType);
        Assert.Equal("#gpu-approvals", post.Body["channel"]!.GetValue<string>());
        Assert.Contains("gpu-node-017", post.Body["text"]!.GetValue<string>());
        var buttons = post.Body["blocks"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray();
        Assert.Equal(["approve:primary:appr-0017-reboot", "reject:danger:appr-0017-reboot"],
            buttons.Select(b => $"{b!["action_id"]}:{b["style"]}:{b["value"]}"));
    }

    [Fact]
    public async Task A_settled_approval_updates_the_posted_message_in_place()
    {
        await _notifier.RequestedAsync(Notice, CancellationToken.None);
        await _slack.NextAsync();

        await _notifier.SettledAsync(new ApprovalVerdict(Notice.ApprovalId, Notice.NodeId, ApprovalOutcome.Granted,
            "slack:UA8RXUSPL (jtorrance)", null, At.AddMinutes(3)), CancellationToken.None);

        var update = await _slack.NextAsync();
        Assert.Equal("chat.update", update.Method);
        Assert.Equal($"Bearer {Token}", update.Authorization);
        // The id Slack answered with, not the configured name: chat.update needs the id.
        Assert.Equal(FakeSlack.ChannelId, update.Body["channel"]!.GetValue<string>());
        Assert.Equal(FakeSlack.Ts, update.Body["ts"]!.GetValue<string>());
        var blocks = update.Body["blocks"]!.AsArray();
        Assert.DoesNotContain(blocks, b => b!["type"]!.GetValue<string>() == "actions");
        Assert.Contains(blocks, b => b!["text"]?["text"]?.GetValue<string>().StartsWith(":white_check_mark: Approved by <@UA8RXUSPL> at <!date^") == true);
        Assert.Contains("gpu-node-017", blocks.ToJsonString());
    }

    [Fact]
    public async Task When_Slack_refuses_the_post_the_caller_carries_on_and_there_is_nothing_to_update()
    {
        _slack.FailWith = "channel_not_found";

        await _notifier.RequestedAsync(Notice, CancellationToken.None);
        await _notifier.SettledAsync(new ApprovalVerdict(Notice.ApprovalId, Notice.NodeId, ApprovalOutcome.Expired, null, null, At),
            CancellationToken.None);

        Assert.Equal(["chat.postMessage"], _slack.Calls.Select(c => c.Method));
        await using var session = _services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Null(await session.LoadAsync<SlackApprovalMessage>(Notice.ApprovalId));
    }

    [Fact]
    public async Task When_Slack_refuses_the_update_the_caller_carries_on()
    {
        await _notifier.RequestedAsync(Notice, CancellationToken.None);
        _slack.FailWith = "message_not_found";

        await _notifier.SettledAsync(new ApprovalVerdict(Notice.ApprovalId, Notice.NodeId, ApprovalOutcome.Rejected,
            "api:alice", "not during the training run", At), CancellationToken.None);

        Assert.Equal(["chat.postMessage", "chat.update"], _slack.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task The_web_api_surfaces_slacks_error_code()
    {
        _slack.FailWith = "not_in_channel";
        var api = _services.GetRequiredService<SlackWebApi>();

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            api.PostMessageAsync("#gpu-approvals", "hello", new JsonArray(), CancellationToken.None));

        Assert.Equal("not_in_channel", error.Error);
        Assert.Equal("Slack chat.postMessage failed: not_in_channel", error.Message);
    }
}
