using System.Diagnostics;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// Leaf-switch storm: 32 nodes under one switch flap a link at 10 Hz each for --duration, while unaffected nodes
/// report a double-bit ECC error now and then (20/s, each on a fresh node). Service defaults and coalescing, with a
/// topology file that puts the 32 nodes under one leaf switch.
/// </summary>
public static class LeafStormScenario
{
    private const int Nodes = 32, PerNodeHz = 10, CalmRate = 20, WarmUpNodes = 900_000;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        var duration = c.Scale.Duration;
        await c.SayAsync($"leaf-storm: {Nodes} nodes flapping at {PerNodeHz} Hz for {duration.TotalSeconds:F0} s, {CalmRate}/s on unaffected nodes");
        var topology = Path.Combine(Path.GetTempPath(), $"bench-{c.RunId}-topology.csv");
        await File.WriteAllLinesAsync(topology, ["node,rack,switch", .. Enumerable.Range(0, Nodes).Select(i => $"leaf-node-{i:000},rack-07,leaf-07")], ct);
        await using var service = await BenchService.CreateAsync(c, "leaf_storm", new Dictionary<string, string?>
        {
            // The inventory says which switch the flapping nodes share, so the service can call the storm.
            ["Storm:TopologyFile"] = topology,
            // The background is one ECC error per fresh node at 20/s: independent faults here, not a driver bug to call.
            ["Storm:XidNodes"] = "1000000",
            ["Storm:Window"] = StormOutcome.Window,
        }, ct);
        await service.StartAsync(ct);
        // The storm hits a running service, as in a fleet: unaffected faults first, on nodes of their own, until the JIT
        // is quiet. Started with the service, the storm's p99 was the start-up: the 15 slowest of 600 unaffected faults
        // were the first 15, 508 to 1,086 ms. The storm's own code paths still compile inside the window.
        var warm = await BenchLoad.OfferAsync(c, CalmRate, WarmUp, i => BenchWorkload.Calm(WarmUpNodes + i), ct);
        await BenchLoad.WaitForAsync(() => service.Latencies.CalmDecided >= warm.Sent, TimeSpan.FromMinutes(1), ct);
        await JitQuiet.WaitAsync(c, "leaf-storm", TimeSpan.FromSeconds(30), ct);
        service.Latencies.Reset();
        var before = await HotPathProfile.SnapshotAsync(ct);
        var cpu = CpuSpent.Now();
        var clock = Stopwatch.StartNew();
        var storm = BenchLoad.OfferAsync(c, Nodes * PerNodeHz, duration, i => BenchWorkload.LinkFlap(i, Nodes), ct);
        var calm = BenchLoad.OfferAsync(c, CalmRate, duration, BenchWorkload.Calm, ct);
        var (stormOffered, calmOffered) = (await storm, await calm);
        await c.SayAsync($"leaf-storm: storm {stormOffered.Describe()}; unaffected {calmOffered.Describe()}");
        var figures = await StormOutcome.MeasureAsync(c, service, "leaf-storm", "leaf-node-", (int)stormOffered.Sent, clock, duration, cpu, ct);
        await BenchLoad.WaitForAsync(() => service.Latencies.CalmDecided >= calmOffered.Sent, TimeSpan.FromSeconds(30), ct);
        return figures.AddAll(stormOffered.Figures()).AddAll(calmOffered.Figures("unaffected_")).Add("unaffected_faults", calmOffered.Sent).Add("nodes", Nodes).Add("per_node_hz", PerNodeHz).Add("duration_seconds", duration.TotalSeconds)
            .AddAll((await HotPathProfile.SnapshotAsync(ct)).Since(before).Figures(clock.Elapsed));
    }
}
