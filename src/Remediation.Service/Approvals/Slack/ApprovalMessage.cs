using System.Text.Json.Nodes;

namespace Remediation.Service.Approvals.Slack;

/// <summary>The Block Kit message for an approval: everything needed to decide, then the decision in place of the buttons.</summary>
public static class ApprovalMessage
{
    public const string ApproveAction = "approve";
    public const string RejectAction = "reject";

    /// <summary>The notification and screen-reader text; Slack shows the blocks.</summary>
    /// <summary>
    /// The notification fallback, which Slack reads as mrkdwn too: escaped, so text from a node cannot become a
    /// <c>&lt;!channel&gt;</c> or a link, and short, so Slack never refuses the message for it.
    /// </summary>
    public static string Text(ApprovalNotice n) => Mrkdwn.Escape(Truncate($"Approval needed: {n.Action} on {n.NodeId} ({n.Fault})", 300));

    /// <param name="page">The operators' page (<c>Web:BaseUrl</c>); when set, the message links to the node there.</param>
    public static JsonArray Requested(ApprovalNotice notice, Uri? page = null)
    {
        var blocks = Details(notice, page);
        blocks.Add(new JsonObject
        {
            ["type"] = "actions",
            ["block_id"] = "decision",
            ["elements"] = new JsonArray(
                Button(ApproveAction, "Approve", "primary", notice.ApprovalId),
                Button(RejectAction, "Reject", "danger", notice.ApprovalId)),
        });
        return blocks;
    }

    public static string SettledText(ApprovalNotice n, ApprovalVerdict v) => $"{Outcome(v)}: {n.Action} on {n.NodeId}";

    public static JsonArray Settled(ApprovalNotice notice, ApprovalVerdict verdict, Uri? page = null)
    {
        var blocks = Details(notice, page);
        blocks.Add(Section(Outcome(verdict)));
        return blocks;
    }

    private static string Outcome(ApprovalVerdict v) => v.Outcome switch
    {
        ApprovalOutcome.Granted => $":white_check_mark: Approved by {Mrkdwn.Who(v.DecidedBy)} at {Mrkdwn.Date(v.At)}",
        ApprovalOutcome.Rejected => $":no_entry: Rejected by {Mrkdwn.Who(v.DecidedBy)} at {Mrkdwn.Date(v.At)}"
            + (string.IsNullOrWhiteSpace(v.Reason) ? "" : $": {Mrkdwn.Escape(v.Reason)}"),
        _ => $":hourglass: Expired at {Mrkdwn.Date(v.At)} with no decision: nothing was run, the node needs a human",
    };

    /// <summary>
    /// The node's page, e.g. https://remediation.example/ui/#/nodes/gpu-node-017. The id is percent-encoded, so no
    /// character of it can end the mrkdwn link early or add to it.
    /// </summary>
    public static Uri NodePage(Uri page, string nodeId) =>
        new(new Uri(page.AbsoluteUri.EndsWith('/') ? page : new Uri(page.AbsoluteUri + "/"), "ui/"), "#/nodes/" + Uri.EscapeDataString(nodeId));

    private static JsonArray Details(ApprovalNotice n, Uri? page)
    {
        var tried = n.AlreadyTried.Count == 0 ? "nothing yet" : string.Join("\n", n.AlreadyTried.Select(t => "• " + Mrkdwn.Escape(t)));
        var blocks = new JsonArray(
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate($"Approve {n.Action} on {n.NodeId}?", 150) },
            },
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(
                    MrkdwnText($"*Node*\n`{Mrkdwn.Escape(n.NodeId)}`"),
                    MrkdwnText($"*Fault*\n{Mrkdwn.Escape(n.Fault)}"),
                    MrkdwnText($"*Proposed action*\n{Mrkdwn.Escape(n.Runbook)} / {Mrkdwn.Escape(n.Step)} / `{Mrkdwn.Escape(n.Action)}`"),
                    MrkdwnText($"*Expires*\n{Mrkdwn.Date(n.ExpiresAt)}")),
            });
        if (!string.IsNullOrWhiteSpace(n.Evidence)) blocks.Add(Section("*Evidence*\n" + Mrkdwn.Code(n.Evidence)));
        blocks.Add(Section("*Automation already tried*\n" + tried));
        if (page is not null) blocks.Add(Section($"<{NodePage(page, n.NodeId).AbsoluteUri}|Open {Mrkdwn.Escape(n.NodeId)} on the operators' page>"));
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(MrkdwnText($"incident `{Mrkdwn.Escape(n.IncidentId)}` · approval `{Mrkdwn.Escape(n.ApprovalId)}`")),
        });
        return blocks;
    }

    private static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = MrkdwnText(text) };

    private static JsonObject MrkdwnText(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject Button(string actionId, string label, string style, string value) => new()
    {
        ["type"] = "button",
        ["action_id"] = actionId,
        ["style"] = style,
        ["value"] = value,
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = label },
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
