using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Remediation.Cli.Rendering;

/// <summary>An incident report (GET /api/incidents/{id}) as a Markdown postmortem a person can file as it is.</summary>
public static class PostmortemMarkdown
{
    public static string Render(JsonElement report)
    {
        var md = new StringBuilder();
        var id = Text(report, "id");
        var fault = report.GetProperty("xid").ValueKind == JsonValueKind.Number ? $"Xid {report.GetProperty("xid").GetInt32()}" : Text(report, "kind");
        md.AppendLine($"# Postmortem: {id}").AppendLine();
        md.AppendLine("## Summary").AppendLine();
        md.AppendLine($"- **Node:** {Text(report, "nodeId")}");
        md.AppendLine($"- **Fault:** {fault} on {Text(report, "device")}");
        md.AppendLine($"- **Status:** {Text(report, "status")}");
        md.AppendLine($"- **Runbooks:** {string.Join(" → ", report.GetProperty("runbooks").EnumerateArray().Select(r => r.GetString()))}");
        md.AppendLine($"- **Resolution:** {Text(report, "resolution")}");
        md.AppendLine($"- **Detected:** {Time(report, "detectedAt")}; **closed:** {Time(report, "closedAt")}").AppendLine();

        var d = report.GetProperty("durations");
        md.AppendLine("## Timings (from the fault's observation)").AppendLine();
        md.AppendLine("| to detect | to decide | to act | to recover |").AppendLine("| --- | --- | --- | --- |");
        md.AppendLine($"| {Span(d, "detect")} | {Span(d, "decide")} | {Span(d, "act")} | {Span(d, "recover")} |").AppendLine();

        md.AppendLine("## Steps").AppendLine();
        md.AppendLine("| dispatched | runbook / step | action | attempt | outcome | output |").AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var s in report.GetProperty("steps").EnumerateArray())
            md.AppendLine($"| {Time(s, "dispatchedAt")} | {Cell(Text(s, "runbook"))} / {Cell(Text(s, "step"))} | {Code(s, "action")} | " +
                $"{s.GetProperty("attempt").GetInt32()} | {Text(s, "outcome")} | {Cell(Text(s, "output"))} |");
        md.AppendLine();

        md.AppendLine("## Approvals").AppendLine();
        var approvals = report.GetProperty("approvals").EnumerateArray().ToList();
        if (approvals.Count == 0) md.AppendLine("None were needed.");
        foreach (var a in approvals)
            md.AppendLine($"- {Code(a, "approvalId")} ({Text(a, "action")}): **{Text(a, "outcome")}**" +
                $"{(a.GetProperty("by").ValueKind == JsonValueKind.String ? $" by {Text(a, "by")}" : "")} at {Time(a, "decidedAt")}" +
                $"{(a.GetProperty("reason").ValueKind == JsonValueKind.String ? $": {Text(a, "reason")}" : "")}");
        md.AppendLine();

        var evidence = report.GetProperty("evidence").EnumerateArray().Select(l => l.GetString() ?? "").ToList();
        var fence = Fence(evidence);
        md.AppendLine("## Evidence").AppendLine().AppendLine(fence);
        foreach (var line in evidence) md.AppendLine(line);
        md.AppendLine(fence).AppendLine();

        md.AppendLine("## Timeline").AppendLine();
        md.AppendLine("| # | time | event | caused by |").AppendLine("| --- | --- | --- | --- |");
        foreach (var e in report.GetProperty("events").EnumerateArray())
            md.AppendLine($"| {e.GetProperty("sequence").GetInt64()} | {Time(e, "timestamp")} | {Text(e, "type")} | " +
                $"{Cell(e.GetProperty("data").TryGetProperty("causedBy", out var by) ? Escape(by.GetString() ?? "") : "")} |");
        return md.ToString();
    }

    /// <summary>Text from the record with what Markdown or HTML would act on escaped: node text stays text.</summary>
    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Escape(v.GetString()!) : "-";

    /// <summary>An identifier as a code span; inside one nothing is markup, and it holds no backtick to end it early.</summary>
    private static string Code(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? $"`{v.GetString()!.Replace('`', '\'')}`" : "-";

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '<') escaped.Append("&lt;");
            else if (c == '>') escaped.Append("&gt;");
            else if (c == '&') escaped.Append("&amp;");
            // What can start a link, an image, emphasis, a code span or a table cell; the text never begins a line.
            else if (@"\`*[]|~".Contains(c)) escaped.Append('\\').Append(c);
            else escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>A code fence longer than any run of backticks in the lines, so nothing inside can close it.</summary>
    private static string Fence(IEnumerable<string> lines)
    {
        var longest = lines.Select(l => System.Text.RegularExpressions.Regex.Matches(l, "`+").Select(m => m.Length).DefaultIfEmpty(0).Max())
            .DefaultIfEmpty(0).Max();
        return new string('`', Math.Max(3, longest + 1));
    }

    private static string Time(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "-";

    private static string Span(JsonElement d, string name) =>
        d.GetProperty(name).ValueKind == JsonValueKind.Number ? $"{d.GetProperty(name).GetDouble():0.###} s" : "-";

    /// <summary>Table cells hold one line and no pipes.</summary>
    private static string Cell(string text) => text.ReplaceLineEndings(" ");
}
