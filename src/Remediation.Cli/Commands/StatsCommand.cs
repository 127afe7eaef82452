using System.Globalization;
using System.Text.Json;

namespace Remediation.Cli.Commands;

/// <summary>Which runbooks work: GET /api/stats as tables.</summary>
public static class StatsCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var since = args.Option("since", "7d");
        var stats = await ApiClient.For(args).GetJsonAsync($"/api/stats?since={Uri.EscapeDataString(since)}", ct);
        await output.WriteLineAsync($"Incidents closed since {stats.GetProperty("since").GetDateTimeOffset():u}");
        await OutcomesAsync(output, "runbook", stats.GetProperty("runbooks"));
        await OutcomesAsync(output, "fault", stats.GetProperty("faults"));
        await output.WriteLineAsync($"\n{"FAILING STEP",-40} {"ACTION",-16} {"FAILED",7} {"TIMED OUT",10}");
        foreach (var s in stats.GetProperty("failingSteps").EnumerateArray())
            await output.WriteLineAsync($"{$"{Text(s, "runbook")}/{Text(s, "step")}",-40} {Text(s, "action"),-16} {s.GetProperty("failed").GetInt32(),7} {s.GetProperty("timedOut").GetInt32(),10}");
        await output.WriteLineAsync($"\n{"LEMON NODE",-24} {"DEVICE",-20} {"INCIDENTS",9}");
        foreach (var l in stats.GetProperty("lemons").EnumerateArray())
            await output.WriteLineAsync($"{Text(l, "nodeId"),-24} {Text(l, "device"),-20} {l.GetProperty("incidents").GetInt32(),9}");
        return 0;
    }

    private static async Task OutcomesAsync(TextWriter output, string by, JsonElement rows)
    {
        await output.WriteLineAsync($"\n{by.ToUpperInvariant(),-20} {"INCIDENTS",9} {"1ST RUNG",9} {"ESCALATED",9} {"HUMAN",6} {"RMA",5} {"P50",9} {"P90",9}");
        foreach (var r in rows.EnumerateArray())
            await output.WriteLineAsync($"{Text(r, by),-20} {Int(r, "incidents"),9} {Int(r, "fixedFirstRung"),9} {Int(r, "escalations"),9} " +
                $"{Int(r, "handedToHuman"),6} {Int(r, "rmas"),5} {Seconds(r, "recoveryP50Seconds"),9} {Seconds(r, "recoveryP90Seconds"),9}");
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.String ? e.GetProperty(name).GetString()! : "-";

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    private static string Seconds(JsonElement e, string name)
    {
        if (e.GetProperty(name).ValueKind != JsonValueKind.Number) return "-";
        var s = e.GetProperty(name).GetDouble();
        return s >= 3600 ? $"{s / 3600:0.0}h" : s >= 60 ? $"{s / 60:0.0}m" : $"{s.ToString("0.0", CultureInfo.InvariantCulture)}s";
    }
}
