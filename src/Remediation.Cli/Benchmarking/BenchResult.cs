using System.Text.Json.Serialization;

namespace Remediation.Cli.Benchmarking;

public sealed record BenchResult(
    [property: JsonPropertyName("throughput_eps")] double ThroughputEps,
    [property: JsonPropertyName("faults_per_second")] double FaultsPerSecond,
    [property: JsonPropertyName("baseline_eps")] double BaselineEps,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("latency_p50_ms")] double LatencyP50Ms,
    [property: JsonPropertyName("latency_p99_ms")] double LatencyP99Ms,
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("faults")] int Faults,
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("offered_rate")] int OfferedRate,
    [property: JsonPropertyName("machine")] string Machine)
{
    public string ToText() => $"""

        throughput   {ThroughputEps,10:F0} events/s committed   ({FaultsPerSecond:F0} faults/s, {Events} events from {Faults} faults over {Nodes} nodes)
        baseline     {BaselineEps,10:F0} messages/s (RabbitMQ.Client + COPY, ack after commit)
        ratio        {Ratio,10:P0} of baseline, faults/s against messages/s
        latency      p50 {LatencyP50Ms:F1} ms, p99 {LatencyP99Ms:F1} ms at {OfferedRate}/s offered (observedAt to decision committed)
        """;
}
