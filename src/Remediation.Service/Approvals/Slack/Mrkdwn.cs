using System.Globalization;
using System.Text.RegularExpressions;

namespace Remediation.Service.Approvals.Slack;

/// <summary>Slack's message markup: the three characters it reserves, dates every reader sees in their own zone, mentions.</summary>
public static partial class Mrkdwn
{
    // Section text is capped at 3,000 characters; a kernel log line rarely comes close, a pasted dump might.
    private const int MaxEvidence = 2_000;

    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static string Code(string text) =>
        "```" + Escape(text.Length > MaxEvidence ? text[..MaxEvidence] + "…" : text).Replace("```", "'''") + "```";

    /// <summary>Rendered in the reader's time zone by Slack; the UTC fallback is for notifications and old clients.</summary>
    public static string Date(DateTimeOffset at) =>
        $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time}}|{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}>";

    /// <summary>A Slack operator ("slack:U024BE7LH (jtorrance)") as a mention; anyone else (CLI, API) by name.</summary>
    public static string Who(string? decidedBy) =>
        decidedBy is null ? "someone"
        : SlackOperator().Match(decidedBy) is { Success: true } m ? $"<@{m.Groups[1].Value}>"
        : Escape(decidedBy);

    [GeneratedRegex(@"^slack:([A-Z0-9]+)\b")]
    private static partial Regex SlackOperator();
}
