using System.Diagnostics;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// GET /api/stats over a fleet's history: --events / 10 closed incidents (a store of 10M events holds far fewer, since
/// most events are faults that need nothing and counted repeats) seeded straight into the read model over 30 days,
/// on 10,000 nodes, with failing-step counts per day; then the week and the month asked for, p50 and p99.
/// </summary>
public static class StatsScenario
{
    private const int Queries = 100;

    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        await using var service = await BenchService.CreateAsync(c, "stats", new Dictionary<string, string?>(), ct);
        await service.StartAsync(ct);
        var incidents = c.Scale.Events / 10;
        await c.SayAsync($"stats: seeding {incidents} closed incidents over 30 days in {service.Schema}");
        var clock = Stopwatch.StartNew();
        await service.ScalarAsync($$"""
            insert into {s}.stats_incidents
            select 'inc-' || g, 'st-node-' || lpad((g % 10000)::text, 5, '0'), 'PCI:0000:3b:00', (array['xid:79','xid:48','xid:13','ecc','link_flap','xid:119'])[g % 6 + 1],
              (array['gpu-reset','driver-reload','reboot','link-flap-recovery','cordon-and-rma'])[g % 5 + 1], g % 3,
              (array['fixed_first_rung','fixed_escalated','handed_to_human','rma','fixed_first_rung'])[g % 5 + 1],
              closed - make_interval(secs => 30 + g % 3600), closed
            from generate_series(1, {{incidents}}) g, lateral (select now() - make_interval(secs => g::double precision / {{incidents}} * 30 * 86400) as closed) x
            """, ct);
        await service.ScalarAsync("""
            insert into {s}.stats_steps select d::date, r, 'step', 'action', 17, 3
            from generate_series(now() - interval '30 days', now(), interval '1 day') d, unnest(array['gpu-reset','driver-reload','reboot']) r
            """, ct);
        // The daily counts the commit keeps beside the rows, built here in one statement each from the seeded rows.
        await service.ScalarAsync("""
            insert into {s}.stats_daily select (closed_at at time zone 'UTC')::date, runbook, fault, outcome, escalations > 0,
              least(127, floor(4 * log(2, greatest(1, extract(epoch from closed_at - opened_at))::numeric)))::smallint, count(*)
            from {s}.stats_incidents group by 1, 2, 3, 4, 5, 6
            """, ct);
        await service.ScalarAsync("""
            insert into {s}.stats_node_days
            with days as (
              select node_id, coalesce(device, '') as device, date_trunc('month', closed_at at time zone 'UTC')::date as month,
                extract(day from closed_at at time zone 'UTC')::int as day, count(*)::int as n
              from {s}.stats_incidents group by 1, 2, 3, 4),
            grid as (
              select k.node_id, k.device, k.month, g.d, coalesce(days.n, 0) as n
              from (select distinct node_id, device, month from days) k cross join generate_series(1, 31) g(d)
              left join days on (days.node_id, days.device, days.month, days.day) = (k.node_id, k.device, k.month, g.d))
            select node_id, device, month, array_agg(total order by d)
            from (select *, sum(n) over (partition by node_id, device, month order by d)::int as total from grid) t group by 1, 2, 3
            """, ct);
        await service.ScalarAsync("analyze {s}.stats_incidents; analyze {s}.stats_daily; analyze {s}.stats_node_days", ct);
        await c.SayAsync($"stats: seeded in {clock.Elapsed.TotalSeconds:F0} s");
        using var http = service.Http();
        var figures = new Figures().Add("incidents", incidents).Add("queries", Queries);
        foreach (var period in new[] { "7d", "30d" })
        {
            var times = new List<double>();
            for (var i = 0; i < Queries + 5; i++)
            {
                var query = Stopwatch.StartNew();
                using var response = await http.GetAsync($"/api/stats?since={period}", ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                response.EnsureSuccessStatusCode();
                if (i >= 5) times.Add(query.Elapsed.TotalMilliseconds);
            }
            double p50 = LatencyRecorder.Percentile(times, 0.5), p99 = LatencyRecorder.Percentile(times, 0.99);
            await c.SayAsync($"stats: since={period} over {incidents} incidents: p50 {p50:F1} ms, p99 {p99:F1} ms (GET /api/stats)");
            figures.Add($"p50_ms_{period}", p50, 2).Add($"p99_ms_{period}", p99, 2);
        }
        return figures;
    }
}
