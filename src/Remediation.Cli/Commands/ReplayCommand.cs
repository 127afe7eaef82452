using System.Globalization;
using Remediation.Cli.Replaying;
using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;

namespace Remediation.Cli.Commands;

/// <summary>
/// <c>remediation replay --runbooks DIR</c>: decides the recorded faults twice, with the baseline runbooks and with
/// DIR, and prints where the two differ. Reads the store, writes nothing, executes nothing.
/// </summary>
public static class ReplayCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        var changedDir = args.Option("runbooks") ?? throw new CliException("replay needs --runbooks DIR (the changed runbooks)");
        var baselineDir = args.Option("baseline") ?? RunbookDirectory.Find();
        // Both sets load before anything is read, so a broken file fails fast with its file:line.
        var changed = RunbookLoader.LoadDirectory(changedDir);
        var baseline = RunbookLoader.LoadDirectory(baselineDir);
        var since = Since(args.Option("since", "24h"), DateTimeOffset.UtcNow);
        var schema = args.Option("schema", "remediation");

        var histories = await HistoryReader.ReadAsync(args.Postgres, schema, since, args.Option("node"), ct);
        await output.WriteLineAsync($"replay: faults since {since:yyyy-MM-ddTHH:mm:ssZ} in schema {schema}; baseline {baselineDir}, changed {changedDir}");
        var options = new DeciderOptions();
        NodeReplay before = new(baseline, options), after = new(changed, options);
        var report = new ReplayReport(output);
        foreach (var history in histories)
            await report.NodeAsync(history, before.Run(history, since), after.Run(history, since));
        await report.SummaryAsync(histories.Count, histories.Sum(h => h.RepeatsNotReplayed));
        return 0;
    }

    /// <summary>An instant (2026-11-01T00:00:00Z) or an age back from now: 90m, 24h, 7d.</summary>
    public static DateTimeOffset Since(string text, DateTimeOffset now)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            switch (text[^1])
            {
                case 'm': return now.AddMinutes(-n);
                case 'h': return now.AddHours(-n);
                case 'd': return now.AddDays(-n);
            }
        }
        throw new CliException($"--since must be an instant (2026-11-01T00:00:00Z) or an age (90m, 24h, 7d), not '{text}'");
    }
}
