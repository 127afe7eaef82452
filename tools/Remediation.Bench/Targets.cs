using System.Globalization;

namespace Remediation.Bench;

/// <summary>One figure against its bound: <c>Met</c> is false when the figure is missing (not measured, or null).</summary>
public sealed record TargetCheck(string Target, double? Measured, bool Met);

/// <summary>
/// Issue 13's targets, scenario by scenario, judged on the figures a scenario wrote. Each scenario's figures get
/// <c>target</c> (the whole target in words), <c>met</c> (every check met) and <c>checks</c> (each figure against its
/// bound). A target that names a scale (30 s of storm, 1M faults at a real 20k/s, a store of 10M events) is not met by
/// a smaller run, however good its figures.
/// </summary>
public static class Targets
{
    private sealed record Bound(string Key, string Target, Func<double, bool> Holds);

    private static Bound AtLeast(string key, double bound, string target) => new(key, target, v => v >= bound);
    private static Bound AtMost(string key, double bound, string target) => new(key, target, v => v <= bound);
    private static Bound Offered(string key, double asked, string target) => new(key, target, v => OfferedLoad.Reaches(v, asked) == true);

    private static readonly Dictionary<string, Bound[]> ByScenario = new()
    {
        ["max"] = [AtLeast("ratio", 0.5, "≥ 50 % of baseline"), AtLeast("events_per_second", 10_000, "≥ 10k events/s")],
        ["steady"] = [Offered("offered_rate", 1000, "1k faults/s offered"), AtMost("latency_p50_ms", 5, "p50 ≤ 5 ms"), AtMost("latency_p99_ms", 20, "p99 ≤ 20 ms")],
        ["leaf-storm"] = [AtLeast("coalescing_ratio", 100, "≥ 100:1"), AtLeast("duration_seconds", 30, "over 30 s"),
            AtMost("unaffected_latency_p99_ms", 50, "unaffected p99 ≤ 50 ms")],
        ["driver-bug"] = [AtLeast("storm_faults", 1_000_000, "1M faults"), Offered("offered_rate", 20_000, "offered at a real 20k/s"),
            AtLeast("coalescing_ratio", 50, "≥ 50:1"), AtMost("drain_after_storm_seconds", 60, "drained ≤ 60 s after the last publish"),
            AtMost("unaffected_latency_p99_ms", 1000, "unaffected p99 ≤ 1 s"), AtMost("lost", 0, "0 lost")],
        ["timeline"] = [AtMost("p99_ms", 10, "p99 ≤ 10 ms"), AtLeast("store_events", 10_000_000, "at 10M events")],
        ["rebuild"] = [AtLeast("events_per_second", 250_000, "≥ 250k events/s")],
    };

    /// <summary>The checks of a scenario's target, empty for a scenario that has none (commit, stats, limits).</summary>
    public static IReadOnlyList<TargetCheck> Check(string scenario, IReadOnlyDictionary<string, object?> figures) =>
        ByScenario.GetValueOrDefault(scenario, []).Select(b => Number(figures.GetValueOrDefault(b.Key)) is { } v
            ? new TargetCheck(b.Target, v, b.Holds(v))
            : new TargetCheck(b.Target, null, false)).ToList();

    /// <summary>Adds target, met and checks to a scenario's figures (nothing when the scenario has no target).</summary>
    public static Figures Judge(string scenario, Figures figures)
    {
        var checks = Check(scenario, figures);
        if (checks.Count == 0) return figures;
        figures["target"] = string.Join(", ", checks.Select(c => c.Target));
        figures["met"] = checks.All(c => c.Met);
        figures["checks"] = checks;
        return figures;
    }

    public static string Describe(IReadOnlyList<TargetCheck> checks) => string.Join("; ", checks.Select(c =>
        $"{c.Target}: {(c.Met ? "met" : "NOT met")} ({(c.Measured is { } v ? v.ToString("#,0.###", CultureInfo.InvariantCulture) : "not measured")})"));

    private static double? Number(object? value) => value switch
    {
        double d when double.IsFinite(d) => d,
        long l => l,
        int i => i,
        _ => null,
    };
}
