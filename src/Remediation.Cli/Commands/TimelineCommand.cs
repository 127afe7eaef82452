using System.Globalization;
using System.Text.Json;
using Remediation.Cli.Rendering;

namespace Remediation.Cli.Commands;

public static class TimelineCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var nodeId = args.Positional.ElementAtOrDefault(1)
            ?? throw new CliException("usage: remediation timeline NODE [--since 2026-11-25T10:00:00Z|2h] [--incident ID]");
        var api = ApiClient.For(args);
        List<TimelineRow> rows;
        if (args.Option("incident") is { } incident)
        {
            var report = await api.GetJsonAsync($"/api/incidents/{Uri.EscapeDataString(incident)}", ct);
            rows = report.GetProperty("events").Deserialize<List<TimelineRow>>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        }
        else rows = await api.TimelineAsync(nodeId, ct, Since(args.Option("since")));
        await output.WriteAsync(TimelineText.Render(nodeId, rows));
        return 0;
    }

    /// <summary>An absolute time, or a span back from now such as 30m, 2h or 7d.</summary>
    public static DateTimeOffset? Since(string? text)
    {
        if (text is null) return null;
        if (text.Length > 1 && int.TryParse(text[..^1], CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            var span = text[^1] switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), 'd' => TimeSpan.FromDays(n), _ => (TimeSpan?)null };
            if (span is { } back) return DateTimeOffset.UtcNow - back;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new CliException($"--since must be a time (2026-11-25T10:00:00Z) or a span back from now (30m, 2h, 7d), not '{text}'");
    }
}
