using System.Diagnostics;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Cli.Benchmarking;
using Remediation.Contracts;
using Remediation.Service.Bus;
using Remediation.Service.Hosting;

namespace Remediation.Cli.Commands;

/// <summary>
/// Runs the real service in-process on a fresh schema and measures (1) sustained throughput draining a backlog of
/// N faults over M nodes, (2) fault-to-committed-decision latency at a steady offered rate, and (3) the raw
/// RabbitMQ→COPY baseline on the same messages, then prints them with their ratio.
/// </summary>
public static class BenchCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken ct)
    {
        int faults = args.Int("faults", 20000), nodes = args.Int("nodes", 500), rate = args.Int("rate", 1000);
        var schema = $"bench_{DateTime.UtcNow:yyyyMMdd_HHmmss}";
        await using var bus = await BusTopology.Factory(args.RabbitMq, "remediation-bench").CreateConnectionAsync(ct);
        await using (var setup = await bus.CreateChannelAsync(cancellationToken: ct))
        {
            await BusTopology.DeclareAsync(setup, ct);
            await setup.QueuePurgeAsync(BusTopology.FaultsQueue, ct);
        }
        var bodies = Enumerable.Range(0, faults).Select(i => BenchWorkload.Fault(i, nodes)).ToList();
        await output.WriteLineAsync($"bench: {faults} faults over {nodes} nodes, schema {schema}");

        await BenchPublisher.PublishAllAsync(bus, Exchanges.Faults, "", bodies, ct);
        var app = ServiceHost.Build(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["REMEDIATION_POSTGRES"] = args.Postgres,
            ["REMEDIATION_RABBITMQ"] = args.RabbitMq,
            ["Schema"] = schema,
            ["Decider:AutoApprove"] = "true",
            ["Decider:CoalesceWindow"] = "00:00:00", // every fault becomes an event: measure the write path, not the counter
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var metrics = app.Services.GetRequiredService<RemediationMetrics>();
        var latencies = new List<double>();
        var decided = 0;
        var clock = new Stopwatch();
        var drained = new TaskCompletionSource();
        metrics.FaultDecided += latency =>
        {
            lock (latencies)
            {
                if (!clock.IsRunning) clock.Start();
                if (++decided == faults) drained.TrySetResult();
                else if (decided > faults) latencies.Add(latency.TotalMilliseconds);
            }
        };
        await app.StartAsync(ct);
        await drained.Task.WaitAsync(TimeSpan.FromMinutes(10), ct);
        var drainSeconds = clock.Elapsed.TotalSeconds;
        var events = await CountEventsAsync(app, ct);

        await output.WriteLineAsync($"bench: backlog drained in {drainSeconds:F1}s; offering {rate}/s for 10s to measure latency");
        await OfferSteadyAsync(bus, rate, nodes, faults, ct);
        await WaitForAsync(() => { lock (latencies) return latencies.Count >= rate * 10; }, ct);
        await app.StopAsync(ct);

        await output.WriteLineAsync("bench: baseline (RabbitMQ.Client consumer, COPY, ack after commit)");
        var baseline = await Baseline.RunAsync(bus, args.Postgres, schema, bodies, ct);

        var result = new BenchResult(
            ThroughputEps: events / drainSeconds, FaultsPerSecond: faults / drainSeconds, BaselineEps: baseline,
            Ratio: faults / drainSeconds / baseline, LatencyP50Ms: Percentile(latencies, 0.50), LatencyP99Ms: Percentile(latencies, 0.99),
            Events: events, Faults: faults, Nodes: nodes, OfferedRate: rate, Machine: $"{Environment.ProcessorCount} cores");
        await output.WriteLineAsync(result.ToText());
        Directory.CreateDirectory("bench/results");
        await File.WriteAllTextAsync("bench/results/latest.json", JsonSerializer.Serialize(result, WireJson.Options), ct);
        await output.WriteLineAsync("bench: written to bench/results/latest.json");
        return 0;
    }

    private static async Task<long> CountEventsAsync(WebApplication app, CancellationToken ct)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryAllRawEvents().LongCountAsync(ct);
    }

    /// <summary>Offers the rate evenly for 10 s: a fault every few milliseconds over one channel, not bursts.</summary>
    private static async Task OfferSteadyAsync(RabbitMQ.Client.IConnection bus, int rate, int nodes, int offset, CancellationToken ct)
    {
        await using var publisher = await BenchPublisher.OpenAsync(bus, ct);
        var tick = TimeSpan.FromMilliseconds(5);
        var ticks = (int)(TimeSpan.FromSeconds(10) / tick);
        var started = Stopwatch.StartNew();
        var sent = 0;
        for (var t = 1; t <= ticks; t++)
        {
            var due = (int)((long)rate * 10 * t / ticks);
            var bodies = Enumerable.Range(offset + sent, due - sent).Select(i => BenchWorkload.Fault(i, nodes)).ToList();
            sent = due;
            await publisher.PublishAsync(Exchanges.Faults, "", bodies, ct);
            var wait = tick * t - started.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken ct)
    {
        for (var i = 0; i < 600 && !condition(); i++) await Task.Delay(100, ct);
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    }
}
