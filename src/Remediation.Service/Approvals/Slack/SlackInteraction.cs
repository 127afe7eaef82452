using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Remediation.Service.Approvals.Slack;

/// <summary>An Approve or Reject click, read from Slack's <c>block_actions</c> payload (form field <c>payload</c>, JSON).</summary>
public sealed record SlackInteraction(string ApprovalId, bool Approve, string UserId, string? UserName, Uri? ResponseUrl)
{
    /// <summary>The operator recorded on the decision: the stable user id, and the name people recognise.</summary>
    public string Operator => UserName is null ? $"slack:{UserId}" : $"slack:{UserId} ({UserName})";

    /// <returns>false with a problem when the body is malformed; true with null when it is well formed but not an approval click.</returns>
    public static bool TryParse(byte[] body, out SlackInteraction? interaction, out string? problem)
    {
        interaction = null;
        problem = null;
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        if (!form.TryGetValue("payload", out var payload) || payload.Count != 1 || string.IsNullOrEmpty(payload[0]))
            return Fail("the body has no payload field", out problem);
        try
        {
            using var json = JsonDocument.Parse(payload[0]!);
            return Read(json.RootElement, out interaction, out problem);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return Fail($"the payload is not a block_actions payload: {e.Message}", out problem);
        }
    }

    private static bool Read(JsonElement root, out SlackInteraction? interaction, out string? problem)
    {
        interaction = null;
        problem = null;
        if (root.GetProperty("type").GetString() != "block_actions") return true;
        var user = root.GetProperty("user");
        var userId = user.GetProperty("id").GetString();
        if (string.IsNullOrEmpty(userId)) return Fail("the payload has no user id", out problem);
        var action = root.GetProperty("actions").EnumerateArray()
            .FirstOrDefault(a => a.TryGetProperty("action_id", out var id) && id.GetString() is ApprovalMessage.ApproveAction or ApprovalMessage.RejectAction);
        if (action.ValueKind == JsonValueKind.Undefined) return true;
        var approvalId = action.TryGetProperty("value", out var value) ? value.GetString() : null;
        if (string.IsNullOrEmpty(approvalId)) return Fail("the button carries no approval id", out problem);
        Uri? responseUrl = null;
        if (root.TryGetProperty("response_url", out var url) && !Uri.TryCreate(url.GetString(), UriKind.Absolute, out responseUrl))
            return Fail("the payload's response_url is not an absolute URL", out problem);
        var name = user.TryGetProperty("username", out var n) || user.TryGetProperty("name", out n) ? n.GetString() : null;
        interaction = new SlackInteraction(approvalId, action.GetProperty("action_id").GetString() == ApprovalMessage.ApproveAction,
            userId, string.IsNullOrEmpty(name) ? null : name, responseUrl);
        return true;
    }

    private static bool Fail(string why, out string? problem)
    {
        problem = why;
        return false;
    }
}
