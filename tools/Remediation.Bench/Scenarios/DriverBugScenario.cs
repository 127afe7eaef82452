using System.Diagnostics;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// Fleet driver bug: the same Xid on --fleet nodes offered at --burst-rate for --burst-seconds by --publishers
/// connections from a process of its own (<see cref="PublisherProcess"/>, bodies serialized beforehand), on top of the steady mix at --steady-rate (below what the service
/// drains, or the burst would never drain), which keeps running until the burst is drained so its latency shows what
/// unaffected nodes suffer.
/// </summary>
public static class DriverBugScenario
{
    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        var s = c.Scale;
        var burst = TimeSpan.FromSeconds(s.BurstSeconds);
        await c.SayAsync($"driver-bug: Xid 48 on {s.Fleet} nodes at {s.BurstRate}/s for {burst.TotalSeconds:F0} s over {s.Publishers} connections, " +
            $"on top of {s.SteadyRate}/s steady");
        await using var service = await BenchService.CreateAsync(c, "driver_bug", new Dictionary<string, string?>
        {
            // A storm lets go of its nodes a window after its last fault: a short one lets the run measure that too.
            ["Storm:Window"] = StormOutcome.Window,
        }, ct);
        await service.StartAsync(ct);
        var before = await HotPathProfile.SnapshotAsync(ct);
        var stormSent = -1L;
        var steady = BenchLoad.OfferAsync(c, s.SteadyRate, TimeSpan.FromMinutes(10), i => BenchWorkload.Fault(i, s.Nodes), ct,
            stop: () => stormSent >= 0 && service.Latencies.StormDecided >= stormSent);
        var clock = new Stopwatch();
        var offered = await PublisherProcess.OfferAsync(c, clock.Start, ct);
        stormSent = offered.Sent;
        await c.SayAsync($"driver-bug: {offered.Describe()}");
        var figures = await StormOutcome.MeasureAsync(c, service, "driver-bug", "fleet-node-", (int)offered.Sent, clock, offered.Elapsed, ct);
        var steadySent = (await steady).Sent;
        await BenchLoad.WaitForAsync(() => service.Latencies.CalmDecided >= steadySent, TimeSpan.FromSeconds(60), ct);
        figures["unaffected_faults"] = steadySent;
        return figures.Add("fleet", s.Fleet).Add("publishers", s.Publishers).AddAll(offered.Figures()).Add("steady_rate", s.SteadyRate)
            .Add("projected_1m_drain_seconds", 1_000_000 / figures.Number("drain_faults_per_second"), 0)
            .AddAll((await HotPathProfile.SnapshotAsync(ct)).Since(before).Figures(clock.Elapsed));
    }
}
