using System.Diagnostics;

namespace Remediation.Bench.Scenarios;

/// <summary>Steady: faults offered evenly at --rate for --duration; latency from observedAt to the decision committed.</summary>
public static class SteadyScenario
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private const int WarmUpRounds = 12;

    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        var s = c.Scale;
        await c.SayAsync($"steady: {s.Rate}/s for {s.Duration.TotalSeconds:F0} s over {s.Nodes} nodes");
        await using var service = await BenchService.CreateAsync(c, "steady", new Dictionary<string, string?> { ["Decider:CoalesceWindow"] = "00:00:00" }, ct);
        await service.StartAsync(ct);
        // Load at the same rate first, not measured, until the runtime has compiled what that load runs: JIT, connection
        // pools and the first node loads are start-up, not steady state. What is still compiled in the window is reported.
        await WarmRounds.RunAsync(c, "steady", WarmUpRounds, 0.02, async round =>
        {
            var warm = await BenchLoad.OfferAsync(c, s.Rate, WarmUp, i => BenchWorkload.Fault(1_000_000 * (round + 1) + i, s.Nodes), ct);
            await BenchLoad.WaitForAsync(() => service.Latencies.Decided >= warm.Sent, TimeSpan.FromMinutes(1), ct);
            service.Latencies.Reset();
        }, ct);
        var compiling = System.Runtime.JitInfo.GetCompilationTime();
        var (paused, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        var pauses = new GcPauses();
        var before = await HotPathProfile.SnapshotAsync(ct);
        var began = Stopwatch.GetTimestamp();
        var startedAt = DateTimeOffset.UtcNow;
        var offered = await BenchLoad.OfferAsync(c, s.Rate, s.Duration, i => BenchWorkload.Fault(i, s.Nodes), ct);
        await c.SayAsync($"steady: {offered.Describe()}");
        await BenchLoad.WaitForAsync(() => service.Latencies.Decided >= offered.Sent, TimeSpan.FromMinutes(2), ct);
        var wall = Stopwatch.GetElapsedTime(began);
        compiling = System.Runtime.JitInfo.GetCompilationTime() - compiling;
        (paused, gen2) = (GC.GetTotalPauseDuration() - paused, GC.CollectionCount(2) - gen2);
        var profile = (await HotPathProfile.SnapshotAsync(ct)).Since(before);
        var r = service.Latencies;
        await c.SayAsync($"steady: latency p50 {r.Calm(0.5):F1} ms, p99 {r.Calm(0.99):F1} ms, max {r.Calm(1):F1} ms over {r.Decided} of {offered.Sent} faults; " +
            $"{compiling.TotalSeconds:F1} s of JIT and {paused.TotalMilliseconds:F0} ms of GC pauses ({gen2} full collections) meanwhile");
        await c.SayAsync($"steady: {profile.ToText(wall)}");
        // Where the tail is, in time: one stall shows as neighbours, scattered queueing as spread-out faults.
        await c.SayAsync($"steady: slowest (window began {startedAt:HH:mm:ss.f} UTC): " + r.SlowestCalm(10, began));
        await c.SayAsync($"steady: collections in the window: {pauses.Describe()}");
        return offered.Figures().Add("faults", offered.Sent).Add("decided", r.Decided)
            .Add("latency_p50_ms", r.Calm(0.5)).Add("latency_p99_ms", r.Calm(0.99)).Add("latency_max_ms", r.Calm(1)).Add("jit_seconds", compiling.TotalSeconds, 2)
            .Add("gc_pause_ms", paused.TotalMilliseconds, 0).Add("gc_full_collections", gen2)
            .AddAll(profile.Figures(wall));
    }
}
