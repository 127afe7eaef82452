using System.Diagnostics;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// Fleet driver bug: the same Xid on --fleet nodes offered at --burst-rate for --burst-seconds by --publishers
/// connections from a process of its own (<see cref="PublisherProcess"/>, bodies serialized beforehand), on top of the steady mix at --steady-rate (below what the service
/// drains, or the burst would never drain), which keeps running until the burst is drained so its latency shows what
/// unaffected nodes suffer. The steady mix runs on a warm service before the burst begins; only what follows the
/// burst's start is measured.
/// </summary>
public static class DriverBugScenario
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

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
        var stormSent = -1L;
        var steady = BenchLoad.OfferAsync(c, s.SteadyRate, TimeSpan.FromMinutes(10), i => BenchWorkload.Fault(i, s.Nodes), ct,
            stop: () => stormSent >= 0 && service.Latencies.StormDecided >= stormSent);
        var clock = new Stopwatch();
        var (before, cpu, warmDecided) = (default(HotPathProfile), default(CpuSpent), 0);
        var offered = await PublisherProcess.OfferAsync(c, async () =>
        {
            // The storm hits a running service, as in a fleet, and as the leaf storm's does: the steady mix first, until
            // the JIT is quiet. Started with the service, the unaffected p99 measured the start-up's compiling (the
            // compiler's thread took 13 % of the machine in the onset) on top of the onset. The storm's own code paths
            // still compile inside the window.
            await Task.Delay(WarmUp, ct);
            await JitQuiet.WaitAsync(c, "driver-bug", TimeSpan.FromSeconds(30), ct);
            warmDecided = service.Latencies.Reset();
            before = await HotPathProfile.SnapshotAsync(ct);
            cpu = CpuSpent.Now();
            clock.Start();
        }, ct);
        stormSent = offered.Sent;
        await c.SayAsync($"driver-bug: {offered.Describe()}");
        var figures = await StormOutcome.MeasureAsync(c, service, "driver-bug", "fleet-node-", (int)offered.Sent, clock, offered.Elapsed, cpu!, ct);
        var steadySent = (await steady).Sent;
        await BenchLoad.WaitForAsync(() => warmDecided + service.Latencies.CalmDecided >= steadySent, TimeSpan.FromSeconds(60), ct);
        figures["unaffected_faults"] = steadySent - warmDecided;
        return figures.Add("fleet", s.Fleet).Add("publishers", s.Publishers).AddAll(offered.Figures()).Add("steady_rate", s.SteadyRate)
            .Add("projected_1m_drain_seconds", 1_000_000 / figures.Number("drain_faults_per_second"), 0)
            .AddAll((await HotPathProfile.SnapshotAsync(ct)).Since(before!).Figures(clock.Elapsed));
    }
}
