using System.Diagnostics;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// After a storm was offered: waits until every storm fault is decided (drain) and accounted for in the store
/// (recorded, or counted in a FaultRepeated once the coalescer flushes), then works out the coalescing and the losses;
/// then waits for the storm to let go of its nodes and works out the folding again with those events.
/// </summary>
public static class StormOutcome
{
    /// <summary>The storm scenarios' <c>Storm:Window</c>: how long after its last fault a storm lets go of its nodes.</summary>
    public const string Window = "00:00:10";

    public static async Task<Figures> MeasureAsync(BenchContext c, BenchService service, string name, string streams, int stormSent,
        Stopwatch sinceStart, TimeSpan offered, CpuSpent cpuAtStart, CancellationToken ct)
    {
        var began = Stopwatch.GetTimestamp() - sinceStart.ElapsedTicks;
        await BenchLoad.WaitForAsync(() => service.Latencies.StormDecided >= stormSent, TimeSpan.FromMinutes(10), ct);
        var drain = sinceStart.Elapsed;
        var cpu = CpuSpent.Now().Since(cpuAtStart);
        var accounted = 0L;
        for (var i = 0; i < 300 && (accounted = await service.AccountedFaultsAsync(streams, ct)) < stormSent; i++) await Task.Delay(100, ct);
        var events = await service.EventsAsync(streams, ct);
        var baseline = await c.BaselineAsync(ct);
        var r = service.Latencies;
        var drainRate = stormSent / drain.TotalSeconds;
        await c.SayAsync($"{name}: {stormSent} storm faults in, {events} events committed: coalescing {stormSent / (double)events:F1}:1, " +
            $"{stormSent - accounted} lost; drained {drain.TotalSeconds:F1} s after the storm began ({(drain - offered).TotalSeconds:F1} s after it ended), " +
            $"{drainRate:F0} faults/s = {drainRate / baseline:P0} of the {baseline:F0} msgs/s baseline");
        await c.SayAsync($"{name}: until drained, {cpu.ToText(stormSent, "storm faults")}");
        await c.SayAsync($"{name}: unaffected nodes meanwhile: {r.CalmDecided} faults decided so far, latency p50 {r.Calm(0.5):F1} ms, p99 {r.Calm(0.99):F1} ms");
        // Whether the tail is the storm's onset or something that recurs, without rerunning under a profiler.
        await c.SayAsync($"{name}: slowest unaffected faults, and when after the storm began: " +
            r.SlowestCalm(10, began));
        var (afterLetGo, letGo) = await LetGoAsync(service, streams, ct);
        accounted = await service.AccountedFaultsAsync(streams, ct);
        await c.SayAsync($"{name}: after the storm let go of its nodes ({letGo} events): {afterLetGo} events, folding {stormSent / (double)afterLetGo:F1}:1, {stormSent - accounted} lost");
        return new Figures()
            .Add("events_after_let_go", afterLetGo).Add("let_go_events", letGo).Add("folding_ratio_after_let_go", stormSent / (double)afterLetGo)
            .Add("lost_after_let_go", stormSent - accounted)
            .Add("storm_faults", stormSent).Add("events_committed", events).Add("coalescing_ratio", stormSent / (double)events)
            .Add("lost", stormSent - accounted).Add("drain_seconds", drain.TotalSeconds, 2).Add("drain_after_storm_seconds", (drain - offered).TotalSeconds, 2)
            .Add("drain_faults_per_second", drainRate, 0).Add("baseline_eps", baseline, 0).Add("ratio", drainRate / baseline, 3)
            .Add("unaffected_latency_p50_ms", r.Calm(0.5)).Add("unaffected_latency_p99_ms", r.Calm(0.99))
            .AddAll(cpu.Figures(stormSent, "storm_faults"));
    }

    /// <summary>Waits until the let-go events stop growing (a window after the storm's last fault, plus the 2 s sweep).</summary>
    private static async Task<(long Events, long LetGo)> LetGoAsync(BenchService service, string streams, CancellationToken ct)
    {
        var wait = Stopwatch.StartNew();
        long letGo = 0, stableFor = 0;
        while (wait.Elapsed < TimeSpan.Parse(Window) * 6 && stableFor < 3)
        {
            await Task.Delay(1000, ct);
            var now = await service.LetGoEventsAsync(streams, ct);
            stableFor = now > 0 && now == letGo ? stableFor + 1 : 0;
            letGo = now;
        }
        return (await service.EventsAsync(streams, ct), letGo);
    }
}
