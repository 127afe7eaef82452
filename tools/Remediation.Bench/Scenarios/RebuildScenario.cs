using System.Diagnostics;
using JasperFx;
using JasperFx.Events;
using Marten;
using Remediation.Core.Nodes;
using Remediation.Store;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// Projection rebuild: read every event of the store in order through <see cref="StoredEvents"/> (what the statistics
/// rebuild reads with), deserialized by Marten's serializer, and fold each node's
/// stream with <see cref="NodeEvolution"/>, the fold the decision loop uses. Folds the timeline scenario's store when
/// it ran, else seeds one.
/// </summary>
public static class RebuildScenario
{
    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        if (c.SeededStore is null)
        {
            await using var service = await BenchService.CreateAsync(c, "rebuild", new Dictionary<string, string?>(), ct);
            await service.StartAsync(ct);
            await TimelineScenario.SeedAsync(c, service, ct);
        }
        var (schema, _) = c.SeededStore!.Value;
        using var store = DocumentStore.For(o =>
        {
            o.ConfigureNodes(c.Postgres, schema);
            o.AutoCreateSchemaObjects = AutoCreate.None;
        });
        var log = new StoredEvents(store);
        var states = new Dictionary<string, NodeState>();
        var events = 0L;
        var clock = Stopwatch.StartNew();
        await foreach (var e in log.ReadAllAsync(after: 0, ct))
        {
            var node = e.StreamKey;
            states[node] = NodeEvolution.Evolve(states.GetValueOrDefault(node) ?? NodeState.New(node), e.Data);
            events++;
        }
        var rate = events / clock.Elapsed.TotalSeconds;
        await c.SayAsync($"rebuild: folded {events} events into {states.Count} node states in {clock.Elapsed.TotalSeconds:F1} s: {rate:F0} events/s");
        return new Figures().Add("events", events).Add("nodes", (long)states.Count).Add("seconds", clock.Elapsed.TotalSeconds, 2)
            .Add("events_per_second", rate, 0);
    }
}
