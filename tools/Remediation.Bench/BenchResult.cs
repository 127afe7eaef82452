using System.Text.Json.Serialization;

namespace Remediation.Bench;

/// <summary>
/// bench/results/latest.json: the headline keys other tools read (from the max and steady scenarios; null when those
/// did not run), and every scenario's figures under <c>scenarios</c>.
/// </summary>
public sealed record BenchResult(
    [property: JsonPropertyName("throughput_eps")] object? ThroughputEps,
    [property: JsonPropertyName("faults_per_second")] object? FaultsPerSecond,
    [property: JsonPropertyName("baseline_eps")] object? BaselineEps,
    [property: JsonPropertyName("ratio")] object? Ratio,
    [property: JsonPropertyName("latency_p50_ms")] object? LatencyP50Ms,
    [property: JsonPropertyName("latency_p99_ms")] object? LatencyP99Ms,
    [property: JsonPropertyName("events")] object? Events,
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("offered_rate")] int OfferedRate,
    [property: JsonPropertyName("machine")] string Machine,
    [property: JsonPropertyName("catalog_schemas")] long CatalogSchemas,
    [property: JsonPropertyName("scenarios")] IReadOnlyDictionary<string, Figures> Scenarios)
{
    public static BenchResult From(BenchScale scale, double? baseline, CatalogSize catalog, IReadOnlyDictionary<string, Figures> scenarios)
    {
        var max = scenarios.GetValueOrDefault("max");
        var steady = scenarios.GetValueOrDefault("steady");
        return new BenchResult(max?.GetValueOrDefault("events_per_second"), max?.GetValueOrDefault("faults_per_second"),
            baseline is { } b ? Math.Round(b) : null, max?.GetValueOrDefault("ratio"), steady?.GetValueOrDefault("latency_p50_ms"),
            steady?.GetValueOrDefault("latency_p99_ms"), max?.GetValueOrDefault("events"), scale.Nodes, scale.Rate,
            $"{Environment.ProcessorCount} cores", catalog.Schemas, scenarios);
    }
}
