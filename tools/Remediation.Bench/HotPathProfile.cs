using System.Globalization;
using Prometheus;
using Remediation.Service.Pipeline;

namespace Remediation.Bench;

/// <summary>
/// Where the decision loop's time goes, from the service's own series (remediation_commit_seconds,
/// remediation_batch_inputs, remediation_loop_seconds_total by stage) read in-process before and after a scenario.
/// The loop is one task, so its stages add up to the wall; receiving, parsing and acknowledging run beside it on the
/// transport's threads and show in the stages only as the CPU they take from them.
/// </summary>
public sealed record HotPathProfile(double CommitSeconds, long Commits, double Inputs, long Batches, IReadOnlyDictionary<string, double> Stages,
    double Acks, double AckRuns, double AckSingles)
{
    public static async Task<HotPathProfile> SnapshotAsync(CancellationToken ct)
    {
        using var text = new MemoryStream();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(text, ct);
        var lines = System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n');
        return new HotPathProfile(Value(lines, "remediation_commit_seconds_sum"), (long)Value(lines, "remediation_commit_seconds_count"),
            Value(lines, "remediation_batch_inputs_sum"), (long)Value(lines, "remediation_batch_inputs_count"),
            LoopStage.All.ToDictionary(s => s, s => Value(lines, $"remediation_loop_seconds_total{{stage=\"{s}\"}}")),
            Value(lines, "remediation_acks_total"), Value(lines, "remediation_ack_frames_total{kind=\"run\"}"),
            Value(lines, "remediation_ack_frames_total{kind=\"single\"}"));
    }

    private static double Value(string[] lines, string name) =>
        lines.FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal)) is { } line
            ? double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture)
            : 0;

    public HotPathProfile Since(HotPathProfile before) =>
        new(CommitSeconds - before.CommitSeconds, Commits - before.Commits, Inputs - before.Inputs, Batches - before.Batches,
            Stages.ToDictionary(s => s.Key, s => s.Value - before.Stages.GetValueOrDefault(s.Key)), Acks - before.Acks, AckRuns - before.AckRuns, AckSingles - before.AckSingles);

    public Dictionary<string, object?> Figures(TimeSpan wall)
    {
        var figures = new Dictionary<string, object?>
        {
            ["commit_share"] = Math.Round(CommitSeconds / wall.TotalSeconds, 3),
            ["commit_ms_mean"] = Commits == 0 ? null : Math.Round(CommitSeconds * 1000 / Commits, 2),
            ["batch_inputs_mean"] = Batches == 0 ? null : Math.Round(Inputs / Batches, 1),
            ["commits"] = Commits,
            ["acks"] = Acks,
            ["ack_runs"] = AckRuns,
            ["ack_singles"] = AckSingles,
        };
        foreach (var (stage, seconds) in Stages) figures[$"loop_{stage}_share"] = Math.Round(seconds / LoopSeconds, 3);
        return figures;
    }

    public string ToText(TimeSpan wall) =>
        $"hot path: {CommitSeconds / wall.TotalSeconds:P0} of the wall in SaveChanges ({Commits} commits, mean {(Commits == 0 ? 0 : CommitSeconds * 1000 / Commits):F1} ms, " +
        $"mean batch {(Batches == 0 ? 0 : Inputs / Batches):F0} inputs); the loop's time by stage: " +
        string.Join(", ", Stages.Where(s => s.Value > 0).Select(s => $"{s.Key} {s.Value / LoopSeconds:P0}")) +
        $"; {Acks:F0} acks in {AckRuns:F0} runs and {AckSingles:F0} single frames";

    /// <summary>The loop's time over the window, its stages together (its start-up wait included when the window began before it).</summary>
    private double LoopSeconds => Math.Max(Stages.Values.Sum(), 1e-9);
}
