using System.Text.Json;
using Remediation.Cli.Rendering;
using Remediation.Service.Approvals.Slack;
using Remediation.Service.Approvals;

namespace Remediation.Tests.Rendering;

/// <summary>Text a node sent is shown as text: it cannot close a code fence, add a link, or ping a Slack channel.</summary>
public sealed class PostmortemEscapingTests
{
    private const string Report = """
        {"id":"inc-gpu-1-1","xid":79,"kind":"xid","nodeId":"gpu-1","device":"[click](http://evil.example)","status":"Healthy",
         "runbooks":["gpu-reset"],"resolution":"<img src=x onerror=alert(1)>","detectedAt":"2026-11-25T10:00:00Z","closedAt":"2026-11-25T10:05:00Z",
         "durations":{"detect":1,"decide":0.1,"act":2,"recover":300},
         "steps":[{"dispatchedAt":"2026-11-25T10:00:01Z","runbook":"gpu-reset","step":"reset","action":"gpu_reset","attempt":1,"outcome":"succeeded","output":"a | b\n**bold**"}],
         "approvals":[],
         "evidence":["NVRM: Xid 79 ````` fence breaker", "```"],
         "events":[{"sequence":1,"timestamp":"2026-11-25T10:00:00Z","type":"FaultReported","data":{"causedBy":"agent:kmsg@gpu-1 `x`"}}]}
        """;

    [Fact]
    public void Evidence_sits_in_a_fence_longer_than_any_backtick_run_it_holds()
    {
        var markdown = PostmortemMarkdown.Render(JsonDocument.Parse(Report).RootElement);

        Assert.Contains("\n``````\nNVRM: Xid 79 ````` fence breaker\n```\n``````\n", markdown.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Links_html_and_table_breaks_from_node_text_are_escaped()
    {
        var markdown = PostmortemMarkdown.Render(JsonDocument.Parse(Report).RootElement);

        Assert.Contains(@"\[click\](http://evil.example)", markdown);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", markdown);
        Assert.Contains(@"a \| b \*\*bold\*\*", markdown);
        Assert.Contains(@"agent:kmsg@gpu-1 \`x\`", markdown);
        Assert.DoesNotContain("<img", markdown);
    }

    [Fact]
    public void Slack_fallback_text_cannot_mention_a_channel_and_stays_short()
    {
        var notice = new ApprovalNotice("apr-1", "gpu-1", "inc-1", "reboot", "reboot", "reboot",
            "<!channel> " + new string('x', 5000), "evidence", [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(30));

        var text = ApprovalMessage.Text(notice);

        Assert.DoesNotContain("<!channel>", text);
        Assert.Contains("&lt;!channel&gt;", text);
        Assert.True(text.Length <= 320, $"{text.Length} characters");
    }
}
