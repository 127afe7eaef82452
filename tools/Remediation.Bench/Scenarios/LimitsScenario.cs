using Remediation.Bench.Limits;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// The physical limit on paper: what one PostgreSQL commit of N events costs (<see cref="CommitCosts"/>), what the broker
/// costs per message (<see cref="BrokerCosts"/>), and the best events/s these allow (<see cref="PhysicalLimit"/>),
/// each also as a ratio of the raw baseline measured in the same run. No service runs.
/// </summary>
public static class LimitsScenario
{
    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        var load = LoadAverage();
        await c.SayAsync($"limits: commit costs for {string.Join(", ", CommitCosts.Sizes)} events, broker costs over {c.Scale.Faults} messages (load {load})");
        var commits = await CommitCosts.MeasureAsync(c, $"bench_{c.RunId}_limits", ct);
        var broker = await BrokerCosts.MeasureAsync(c, ct);
        var baseline = await c.BaselineAsync(ct);
        var limit = PhysicalLimit.From(commits, broker);
        await c.SayAsync($"limits: best commit {limit.CommitEventsPerSecond:F0} events/s ({limit.CommitBy}, {limit.CommitRows} a commit); " +
            $"best possible {limit.Serial:F0} events/s serial ({limit.Serial / baseline:F2}x the {baseline:F0} msgs/s baseline), " +
            $"{limit.Overlapped:F0} overlapped ({limit.Overlapped / baseline:F2}x), {limit.WithPublish:F0} with the publishers on the box ({limit.WithPublish / baseline:F2}x)");

        var figures = new Figures().Add("baseline_eps", baseline, 0);
        foreach (var cost in commits)
            figures.Add($"commit_{cost.Rows}_array_ms", cost.ArrayMs, 3).Add($"commit_{cost.Rows}_copy_ms", cost.CopyMs, 3)
                .Add($"commit_{cost.Rows}_array_eps", cost.ArrayEventsPerSecond, 0).Add($"commit_{cost.Rows}_copy_eps", cost.CopyEventsPerSecond, 0)
                .Add($"commit_{cost.Rows}_copy_speedup", cost.CopySpeedup, 2);
        Rate(figures, "broker_publish_1_mps", broker.PublishOne, baseline);
        Rate(figures, $"broker_publish_{broker.Publishers}_mps", broker.PublishMany, baseline);
        Rate(figures, "broker_consume_ack_each_mps", broker.ConsumeAckEach, baseline);
        Rate(figures, "broker_consume_ack_batch_mps", broker.ConsumeAckBatch, baseline);
        Rate(figures, "best_commit_eps", limit.CommitEventsPerSecond, baseline);
        Rate(figures, "limit_serial_eps", limit.Serial, baseline);
        Rate(figures, "limit_overlapped_eps", limit.Overlapped, baseline);
        Rate(figures, "limit_with_publish_eps", limit.WithPublish, baseline);
        figures["best_commit_by"] = limit.CommitBy;
        figures["load_average_start"] = load;
        figures["load_average_end"] = LoadAverage();
        return figures;
    }

    private static void Rate(Figures figures, string key, double value, double baseline) =>
        figures.Add(key, value, 0).Add(key.Replace("_eps", "").Replace("_mps", "") + "_ratio", value / baseline, 3);

    /// <summary>The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them; empty where there is none.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";
}
