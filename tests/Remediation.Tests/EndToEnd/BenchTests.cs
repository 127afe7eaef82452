using System.Text.Json;
using Remediation.Bench;
using Remediation.Cli;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

/// <summary>Every bench scenario at a tiny scale: it runs and writes its keys. Timings are never asserted.</summary>
[Collection(AloneCollection.Name)]
public sealed class BenchTests(Servers servers) : IClassFixture<Servers>
{
    [Fact]
    public async Task Tiny_scenarios_run_and_write_their_json_keys()
    {
        var vhost = $"b{Guid.NewGuid():N}"[..20];
        var rabbit = await servers.CreateVhostAsync(vhost);
        var file = Path.Combine(Directory.CreateTempSubdirectory("bench-").FullName, "latest.json");
        try
        {
            var args = new CliArgs(["bench", "--scenario", "all", "--faults", "200", "--nodes", "20", "--rate", "50", "--duration", "1",
                "--burst-rate", "200", "--burst-seconds", "1", "--fleet", "50", "--events", "1000",
                "--postgres", servers.Postgres, "--rabbitmq", rabbit.ToString(), "--out", file]);

            Assert.Equal(0, await BenchCommand.RunAsync(args, TextWriter.Null, CancellationToken.None));

            var json = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
            foreach (var key in new[] { "throughput_eps", "baseline_eps", "ratio", "latency_p50_ms", "latency_p99_ms", "events", "nodes" })
                Assert.Equal(JsonValueKind.Number, json.GetProperty(key).ValueKind);
            var scenarios = json.GetProperty("scenarios");
            Assert.Equal(["steady", "max", "leaf-storm", "driver-bug", "timeline", "rebuild", "commit", "stats", "limits"], scenarios.EnumerateObject().Select(p => p.Name));
            foreach (var judged in new[] { "steady", "max", "leaf-storm", "driver-bug", "timeline", "rebuild" })
            {
                Assert.Equal(JsonValueKind.String, scenarios.GetProperty(judged).GetProperty("target").ValueKind);
                Assert.Contains(scenarios.GetProperty(judged).GetProperty("met").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            }
            // A tiny run is far below the scale the driver-bug target names.
            Assert.Equal(JsonValueKind.False, scenarios.GetProperty("driver-bug").GetProperty("met").ValueKind);
            Assert.Equal(200, scenarios.GetProperty("driver-bug").GetProperty("asked_rate").GetDouble());
            Assert.Contains(scenarios.GetProperty("driver-bug").GetProperty("offered_below_asked").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.True(scenarios.GetProperty("limits").GetProperty("commit_5000_copy_ms").GetDouble() > 0);
            Assert.True(scenarios.GetProperty("limits").GetProperty("limit_serial_eps").GetDouble() > 0);
            // max drains two backlogs of its own (the first only reported), the second once the service is warm.
            Assert.True(scenarios.GetProperty("max").GetProperty("first_drain_events_per_second").GetDouble() > 0);
            Assert.True(scenarios.GetProperty("max").GetProperty("events").GetInt64() > 0);
            Assert.True(scenarios.GetProperty("steady").GetProperty("jit_seconds").GetDouble() >= 0);
            Assert.Equal(0, scenarios.GetProperty("leaf-storm").GetProperty("lost").GetInt64());
            Assert.Equal(0, scenarios.GetProperty("driver-bug").GetProperty("lost").GetInt64());
            Assert.Equal(1000, scenarios.GetProperty("rebuild").GetProperty("events").GetInt64());
            Assert.True(scenarios.GetProperty("rebuild").GetProperty("first_pass_events_per_second").GetDouble() > 0);
            Assert.True(scenarios.GetProperty("timeline").GetProperty("p99_ms").GetDouble() > 0);
            // The timeline is timed once the service has served others and the JIT is quiet; the warm-up's own figure is kept.
            Assert.True(scenarios.GetProperty("timeline").GetProperty("from_start_p99_ms").GetDouble() > 0);
            Assert.Equal(80, scenarios.GetProperty("commit").GetProperty("events_per_batch").GetInt64());
            Assert.True(scenarios.GetProperty("commit").GetProperty("speedup").GetDouble() > 0);
            Assert.True(scenarios.GetProperty("stats").GetProperty("p99_ms_30d").GetDouble() > 0);
        }
        finally
        {
            await servers.DeleteVhostAsync(vhost);
        }
    }

    [Fact]
    public async Task An_unknown_scenario_is_refused_before_anything_runs()
    {
        var error = await Assert.ThrowsAsync<CliException>(() =>
            BenchCommand.RunAsync(new CliArgs(["bench", "--scenario", "steady,tornado"]), TextWriter.Null, CancellationToken.None));
        Assert.Contains("unknown scenario 'tornado'", error.Message);
    }
}
