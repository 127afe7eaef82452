using System.Diagnostics;
using Marten;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// Timeline query p99 for one node in a big store: --events FaultReported events seeded straight into mt_streams and
/// mt_events by INSERT … SELECT generate_series (server-side, faster than COPY), 100 per node and interleaved the way
/// a fleet writes them, then random nodes' timelines read through the operator API: once from the service's start on
/// half the nodes (reported, not the figure), then, with the JIT quiet, on the other half (the figure).
/// </summary>
public static class TimelineScenario
{
    public const int EventsPerNode = 100;
    private const int Queries = 500;
    private const int WarmUpQueries = 500;

    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        await using var service = await BenchService.CreateAsync(c, "timeline", new Dictionary<string, string?>(), ct);
        await service.StartAsync(ct);
        var nodes = await SeedAsync(c, service, ct);
        using var http = service.Http();
        // A running service has served many timelines and compiled their path long before (tiered compilation took
        // 43 % of the process's samples over 500 queries started cold): warm it on the upper half of the nodes, wait for
        // the JIT to go quiet, and time only nodes of the lower half, whose rows no warm-up query has read.
        var random = new Random(17);
        var warmUps = Math.Min(WarmUpQueries, nodes * 5);
        var cold = new List<double>();
        for (var i = 0; i < warmUps; i++)
        {
            var node = $"tl-node-{nodes / 2 + random.Next(nodes - nodes / 2):000000}";
            cold.Add(await TimeAsync(http, $"/api/nodes/{node}/timeline?order=desc", ct));
            await TimeAsync(http, $"/api/nodes/{node}/timeline", ct);
        }
        double coldP50 = LatencyRecorder.Percentile(cold, 0.5), coldP99 = LatencyRecorder.Percentile(cold, 0.99);
        await c.SayAsync($"timeline: {warmUps} first pages from the service's start (warm-up, not the figure): p50 {coldP50:F1} ms, p99 {coldP99:F1} ms");
        await JitQuiet.WaitAsync(c, "timeline", TimeSpan.FromSeconds(30), ct);
        // The first page of a paged timeline, newest first at the default page size (what an operator opens), and the
        // whole unpaged timeline, in turn: with 100 events a node both return every event.
        var paged = new List<double>();
        var whole = new List<double>();
        for (var i = 0; i < Queries; i++)
        {
            var node = $"tl-node-{random.Next(Math.Max(1, nodes / 2)):000000}";
            paged.Add(await TimeAsync(http, $"/api/nodes/{node}/timeline?order=desc", ct));
            whole.Add(await TimeAsync(http, $"/api/nodes/{node}/timeline", ct));
        }
        double p50 = LatencyRecorder.Percentile(paged, 0.5), p99 = LatencyRecorder.Percentile(paged, 0.99);
        double wholeP50 = LatencyRecorder.Percentile(whole, 0.5), wholeP99 = LatencyRecorder.Percentile(whole, 0.99);
        var events = c.SeededStore!.Value.Events;
        await c.SayAsync($"timeline: {Queries} first pages of {EventsPerNode} events from a store of {events} events: p50 {p50:F1} ms, p99 {p99:F1} ms "
            + $"(GET /api/nodes/ID/timeline?order=desc); unpaged p50 {wholeP50:F1} ms, p99 {wholeP99:F1} ms");
        return new Figures().Add("store_events", events).Add("events_per_node", EventsPerNode).Add("queries", Queries)
            .Add("p50_ms", p50, 2).Add("p99_ms", p99, 2).Add("unpaged_p50_ms", wholeP50, 2).Add("unpaged_p99_ms", wholeP99, 2)
            .Add("from_start_p50_ms", coldP50, 2).Add("from_start_p99_ms", coldP99, 2);
    }

    private static async Task<double> TimeAsync(HttpClient http, string path, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path, ct);
        await response.Content.ReadAsByteArrayAsync(ct);
        response.EnsureSuccessStatusCode();
        return clock.Elapsed.TotalMilliseconds;
    }

    public static async Task<int> SeedAsync(BenchContext c, BenchService service, CancellationToken ct)
    {
        var total = c.Scale.Events / EventsPerNode * EventsPerNode;
        var nodes = total / EventsPerNode;
        await service.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await c.SayAsync($"timeline: seeding {total} events over {nodes} nodes in {service.Schema}");
        var clock = Stopwatch.StartNew();
        await service.ScalarAsync($"insert into {{s}}.mt_streams (id, version, timestamp, created) " +
            $"select 'tl-node-' || lpad(n::text, 6, '0'), {EventsPerNode}, now(), now() from generate_series(0, {nodes - 1}) n", ct);
        const int chunk = 500_000;
        for (var from = 0; from < total; from += chunk)
            await service.ScalarAsync(SeedSql(from, Math.Min(total, from + chunk) - 1, nodes, total), ct);
        await service.ScalarAsync("analyze {s}.mt_events", ct);
        var rate = total / clock.Elapsed.TotalSeconds;
        await c.SayAsync($"timeline: seeded in {clock.Elapsed.TotalSeconds:F0} s ({rate:F0} events/s)");
        c.SeededStore = (service.Schema, total);
        return nodes;
    }

    // A record-only Xid 13, as most of a real fleet's history is; timestamps spread back from now, 100 a second.
    private static string SeedSql(int from, int to, int nodes, int total) => $$"""
        insert into {s}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
        select nextval('{s}.mt_events_sequence'), gen_random_uuid(), node, g / {{nodes}} + 1,
          jsonb_build_object('nodeId', node, 'eventId', 'seed-' || g, 'kind', 'xid', 'xid', 13, 'device', 'PCI:0000:3b:00',
            'message', 'NVRM: Xid (PCI:0000:3b:00): 13, pid=1234, name=python', 'fingerprint', 'xid:13:PCI:0000:3b:00',
            'incidentId', null, 'disposition', 'Xid 13: NVIDIA says RESTART_APP; nothing to do on the node',
            'observedAt', ts, 'reportedAt', ts, 'causedBy', 'agent:bench@' || node),
          'fault_reported', ts, '*DEFAULT*', 'Remediation.Core.Nodes.FaultReported, Remediation.Service', false
        from generate_series({{from}}, {{to}}) g,
          lateral (select 'tl-node-' || lpad((g % {{nodes}})::text, 6, '0') as node, now() - make_interval(secs => ({{total}} - g) / 100.0) as ts) x
        """;
}
