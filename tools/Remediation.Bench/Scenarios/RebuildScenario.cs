using System.Diagnostics;
using JasperFx;
using JasperFx.Events;
using Marten;
using Remediation.Core.Nodes;
using Remediation.Store;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// Projection rebuild: read every event of the store in order through <see cref="StoredEvents"/> (what the statistics
/// rebuild reads with), deserialized by Marten's serializer, and fold each node's stream with
/// <see cref="NodeEvolution"/>, the fold the decision loop uses, twice: the second pass is the figure. Folds the
/// timeline scenario's store when it ran, else seeds one.
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
        // Folded twice: a rebuild runs in a service whose fold and deserializers the decision loop and the timelines
        // keep compiled, so the second pass is the figure; the first, through code the JIT has not seen, is printed too.
        var (firstEvents, _, first) = await FoldAsync(log, ct);
        var (events, nodes, warm) = await FoldAsync(log, ct);
        var rate = events / warm.TotalSeconds;
        await c.SayAsync($"rebuild: first pass, from cold: {firstEvents / first.TotalSeconds:F0} events/s ({first.TotalSeconds:F1} s)");
        await c.SayAsync($"rebuild: folded {events} events into {nodes} node states in {warm.TotalSeconds:F1} s: {rate:F0} events/s");
        return new Figures().Add("events", events).Add("nodes", (long)nodes).Add("seconds", warm.TotalSeconds, 2)
            .Add("events_per_second", rate, 0).Add("first_pass_events_per_second", firstEvents / first.TotalSeconds, 0);
    }

    private static async Task<(long Events, int Nodes, TimeSpan Took)> FoldAsync(StoredEvents log, CancellationToken ct)
    {
        var states = new Dictionary<string, NodeState>();
        var events = 0L;
        var clock = Stopwatch.StartNew();
        await foreach (var e in log.ReadAllAsync(after: 0, ct))
        {
            var node = e.StreamKey;
            states[node] = NodeEvolution.Evolve(states.GetValueOrDefault(node) ?? NodeState.New(node), e.Data);
            events++;
        }
        return (events, states.Count, clock.Elapsed);
    }
}
