namespace Remediation.Cli.Commands;

public static class IncidentsCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var query = args.Option("node") is { } node ? $"?node={Uri.EscapeDataString(node)}" : "";
        var rows = await ApiClient.For(args).GetJsonAsync($"/api/incidents{query}", ct);
        await output.WriteLineAsync($"{"INCIDENT",-32} {"NODE",-20} {"FAULT",-14} {"OPENED",-22} RESOLUTION");
        foreach (var r in rows.EnumerateArray())
        {
            var fault = r.GetProperty("xid").ValueKind == System.Text.Json.JsonValueKind.Number ? $"Xid {r.GetProperty("xid").GetInt32()}" : r.GetProperty("kind").GetString();
            var resolution = r.GetProperty("resolution").ValueKind == System.Text.Json.JsonValueKind.String ? r.GetProperty("resolution").GetString() : "(open)";
            await output.WriteLineAsync($"{r.GetProperty("id").GetString(),-32} {r.GetProperty("nodeId").GetString(),-20} {fault,-14} " +
                $"{r.GetProperty("openedAt").GetDateTimeOffset():u} {resolution}");
        }
        return 0;
    }
}
