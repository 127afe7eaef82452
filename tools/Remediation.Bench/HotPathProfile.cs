using System.Globalization;
using Prometheus;

namespace Remediation.Bench;

/// <summary>
/// Where the decision loop's time goes, from the service's own histograms (remediation_commit_seconds,
/// remediation_batch_inputs) read in-process before and after a scenario: time inside SaveChanges against the wall.
/// </summary>
public sealed record HotPathProfile(double CommitSeconds, long Commits, double Inputs, long Batches)
{
    public static async Task<HotPathProfile> SnapshotAsync(CancellationToken ct)
    {
        using var text = new MemoryStream();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(text, ct);
        var lines = System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n');
        return new HotPathProfile(Value(lines, "remediation_commit_seconds_sum"), (long)Value(lines, "remediation_commit_seconds_count"),
            Value(lines, "remediation_batch_inputs_sum"), (long)Value(lines, "remediation_batch_inputs_count"));
    }

    private static double Value(string[] lines, string name) =>
        lines.FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal)) is { } line
            ? double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture)
            : 0;

    public HotPathProfile Since(HotPathProfile before) =>
        new(CommitSeconds - before.CommitSeconds, Commits - before.Commits, Inputs - before.Inputs, Batches - before.Batches);

    public Dictionary<string, object?> Figures(TimeSpan wall) => new()
    {
        ["commit_share"] = Math.Round(CommitSeconds / wall.TotalSeconds, 3),
        ["commit_ms_mean"] = Commits == 0 ? null : Math.Round(CommitSeconds * 1000 / Commits, 2),
        ["batch_inputs_mean"] = Batches == 0 ? null : Math.Round(Inputs / Batches, 1),
        ["commits"] = Commits,
    };

    public string ToText(TimeSpan wall) =>
        $"hot path: {CommitSeconds / wall.TotalSeconds:P0} of the wall in SaveChanges ({Commits} commits, mean {(Commits == 0 ? 0 : CommitSeconds * 1000 / Commits):F1} ms, " +
        $"mean batch {(Batches == 0 ? 0 : Inputs / Batches):F0} inputs); the rest is receive, parse, decide, ack and publish";
}
