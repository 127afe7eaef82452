using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Remediation.Service.Approvals;
using Remediation.Service.Approvals.Slack;

namespace Remediation.Tests.Slack;

public sealed class ApprovalMessageTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-25T10:00:00Z");

    private static readonly ApprovalNotice Notice = new("appr-1", "gpu-node-017", "inc-42", "cordon-and-rma", "cordon", "cordon",
        "xid 79", "NVRM: Xid (PCI:0000:3b:00): 79, <pid=1234> & GPU has fallen off the bus.", ["gpu-reset: failed"], At, At.AddMinutes(30));

    // Unescaped, so the test reads the mrkdwn a person would type rather than \u0060 for every backtick.
    private static string Text(JsonArray blocks) =>
        blocks.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Fact]
    public void The_request_says_what_an_approver_needs_to_decide()
    {
        var blocks = ApprovalMessage.Requested(Notice);

        var text = Text(blocks);
        Assert.Contains("`gpu-node-017`", text);
        Assert.Contains("xid 79", text);
        Assert.Contains("cordon-and-rma / cordon / `cordon`", text);
        Assert.Contains("• gpu-reset: failed", text);
        Assert.Contains($"<!date^{At.AddMinutes(30).ToUnixTimeSeconds()}^", text);
        Assert.Contains("inc-42", text);
    }

    [Fact]
    public void With_a_page_configured_the_message_links_to_the_nodes_page_and_without_one_it_does_not()
    {
        var linked = Text(ApprovalMessage.Requested(Notice, new Uri("https://ops.example/remediation")));
        var odd = Text(ApprovalMessage.Requested(Notice with { NodeId = "gpu|node>1" }, new Uri("https://ops.example/")));

        Assert.Contains("<https://ops.example/remediation/ui/#/nodes/gpu-node-017|Open gpu-node-017 on the operators' page>", linked);
        Assert.Contains("https://ops.example/ui/#/nodes/gpu%7Cnode%3E1|", odd);
        Assert.DoesNotContain("ops.example", Text(ApprovalMessage.Requested(Notice)));
    }

    [Fact]
    public void The_evidence_is_quoted_as_code_with_slacks_reserved_characters_escaped()
    {
        var evidence = ApprovalMessage.Requested(Notice).Select(b => b!["text"]?["text"]?.GetValue<string>())
            .Single(t => t?.StartsWith("*Evidence*") == true);

        Assert.Equal("*Evidence*\n```NVRM: Xid (PCI:0000:3b:00): 79, &lt;pid=1234&gt; &amp; GPU has fallen off the bus.```", evidence);
    }

    [Fact]
    public void Nothing_tried_yet_is_said_plainly_and_no_evidence_means_no_evidence_block()
    {
        var text = Text(ApprovalMessage.Requested(Notice with { AlreadyTried = [], Evidence = null }));

        Assert.Contains("*Automation already tried*\\nnothing yet", text);
        Assert.DoesNotContain("*Evidence*", text);
    }

    [Fact]
    public void The_buttons_carry_the_approval_id()
    {
        var actions = ApprovalMessage.Requested(Notice).Last()!;

        Assert.Equal("actions", actions["type"]!.GetValue<string>());
        Assert.Equal(["Approve", "Reject"], actions["elements"]!.AsArray().Select(b => b!["text"]!["text"]!.GetValue<string>()));
        Assert.All(actions["elements"]!.AsArray(), b => Assert.Equal("appr-1", b!["value"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(ApprovalOutcome.Granted, "slack:UA8RXUSPL (jtorrance)", null, ":white_check_mark: Approved by <@UA8RXUSPL> at")]
    [InlineData(ApprovalOutcome.Granted, "cli:alice", null, ":white_check_mark: Approved by cli:alice at")]
    [InlineData(ApprovalOutcome.Rejected, "slack:U0BOB", "rejected in Slack", ":no_entry: Rejected by <@U0BOB> at")]
    [InlineData(ApprovalOutcome.Expired, null, null, ":hourglass: Expired at")]
    public void The_settled_message_replaces_the_buttons_with_the_outcome(ApprovalOutcome outcome, string? by, string? reason, string expected)
    {
        var blocks = ApprovalMessage.Settled(Notice, new ApprovalVerdict("appr-1", "gpu-node-017", outcome, by, reason, At.AddMinutes(2)));

        Assert.DoesNotContain(blocks, b => b!["type"]!.GetValue<string>() == "actions");
        var last = blocks.Last()!["text"]!["text"]!.GetValue<string>();
        Assert.StartsWith(expected, last);
        Assert.Contains("2026-11-25 10:02 UTC", last);
        if (reason is not null) Assert.EndsWith(": " + reason, last);
    }
}
