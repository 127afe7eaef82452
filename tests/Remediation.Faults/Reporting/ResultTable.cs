using System.Text;
using System.Text.Json;

namespace Remediation.Faults.Reporting;

public static class ResultTable
{
    public static string Format(IReadOnlyList<ScenarioResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine($"{"scenario",-24} {"messages in",11} {"events",9} {"lost",5} {"dup actions",11} {"recovery s",10}  result");
        foreach (var r in results)
        {
            var recovery = r.RecoverySeconds is { } s ? s.ToString("F1") : "-";
            text.AppendLine($"{r.Scenario,-24} {r.MessagesIn,11} {r.EventsCommitted,9} {r.Lost,5} {r.DuplicatedActions,11} {recovery,10}  {(r.Passed ? "PASS" : "FAIL")}");
        }
        foreach (var r in results)
            foreach (var note in r.Notes)
                text.AppendLine($"  {r.Scenario}: {note}");
        return text.ToString();
    }

    public static async Task WriteJsonAsync(string path, IReadOnlyList<ScenarioResult> results, string machine)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var document = new
        {
            measuredAt = DateTimeOffset.UtcNow,
            machine,
            scenarios = results.Select(r => new
            {
                scenario = r.Scenario, messagesIn = r.MessagesIn, eventsCommitted = r.EventsCommitted, lost = r.Lost,
                duplicatedActions = r.DuplicatedActions, recoverySeconds = r.RecoverySeconds, result = r.Passed ? "PASS" : "FAIL", notes = r.Notes,
            }),
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
