using System.Text;
using System.Text.Json;

namespace Remediation.Cli.Rendering;

/// <summary>Renders a node's timeline as a table a person reads top to bottom.</summary>
public static class TimelineText
{
    public static string Render(string nodeId, IReadOnlyList<TimelineRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine($"Timeline of {nodeId} ({rows.Count} events)");
        text.AppendLine($"{"SEQ",4}  {"TIME (UTC)",-12}  {"EVENT",-20}  DETAIL");
        foreach (var row in rows)
            text.AppendLine($"{row.Sequence,4}  {row.Timestamp.UtcDateTime:HH:mm:ss.fff}  {row.Type,-20}  {Detail(row.Type, row.Data)}");
        return text.ToString();
    }

    public static string Detail(string type, JsonElement data)
    {
        string S(string name) => data.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "";
        return type switch
        {
            "FaultReported" => $"{S("kind")}{(S("xid") is { Length: > 0 } x ? " " + x : "")} {S("device")}: {S("disposition")}",
            "FaultIgnored" => S("reason"),
            "FaultRepeated" => $"{S("fingerprint")} repeated {S("count")}x",
            "IncidentOpened" => $"{S("incidentId")}{(S("observing") == "True" ? " (observing)" : "")}",
            "RunbookStarted" => $"{S("runbook")}: {S("reason")}",
            "StepDispatched" => $"{S("action")} ({S("step")}, attempt {S("attempt")}) -> {S("commandId")}",
            "StepSucceeded" => $"{S("step")} succeeded: {S("output")}",
            "StepFailed" => $"{S("step")} failed (exit {S("exitCode")}): {S("output")}",
            "StepTimedOut" => $"{S("step")} timed out at {S("deadline")}",
            "ApprovalRequested" => $"{S("approvalId")}: {S("action")} in {S("runbook")}",
            "ApprovalGranted" => $"{S("approvalId")} by {S("approver")}",
            "ApprovalRejected" => $"{S("approvalId")} by {S("approver")}: {S("reason")}",
            "RunbookEscalated" => $"{S("fromRunbook")} -> {S("toRunbook")}: {S("reason")}",
            "IncidentResolved" => $"{S("incidentId")}: {S("resolution")}",
            "HandedToHuman" => S("reason"),
            "NodeJoinedStorm" => $"{S("stormId")}: {S("kind")}{(S("xid") is { Length: > 0 } sx ? " " + sx : "")} {S("device")}: {S("reason")}",
            "NodeLeftStorm" => $"{S("stormId")}: {S("fingerprint")} repeated {S("absorbed")}x while held, {Held(S("joinedAt"), S("leftAt"))}",
            _ => S("causedBy"),
        };
    }

    private static string Held(string joinedAt, string leftAt) =>
        DateTimeOffset.TryParse(joinedAt, out var joined) && DateTimeOffset.TryParse(leftAt, out var left)
            ? $"for {TimeSpan.FromSeconds(Math.Round((left - joined).TotalSeconds)):g} since {joined.UtcDateTime:HH:mm:ss}"
            : $"since {joinedAt}";
}
