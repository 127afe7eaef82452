using System.Diagnostics;
using Remediation.Contracts;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// Max sustained: a backlog of faults waits in RabbitMQ, then the service drains it as fast as it can; every fault
/// becomes an event (no coalescing) so this measures the write path. Compared with the raw COPY baseline.
/// </summary>
public static class MaxScenario
{
    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        var s = c.Scale;
        var bodies = Enumerable.Range(0, s.Faults).Select(i => BenchWorkload.Fault(i, s.Nodes)).ToList();
        await c.SayAsync($"max: a backlog of {s.Faults} faults over {s.Nodes} nodes, drained by the service");
        await using var service = await BenchService.CreateAsync(c, "max", new Dictionary<string, string?> { ["Decider:CoalesceWindow"] = "00:00:00" }, ct);
        await BenchPublisher.PublishAllAsync(c, s.Publishers, Exchanges.Faults, "", bodies, ct);
        var before = await HotPathProfile.SnapshotAsync(ct);
        await service.StartAsync(ct);
        var clock = Stopwatch.StartNew();
        await BenchLoad.WaitForAsync(() => service.Latencies.Decided >= s.Faults, TimeSpan.FromMinutes(10), ct);
        var drain = clock.Elapsed;
        var profile = (await HotPathProfile.SnapshotAsync(ct)).Since(before);
        var events = await service.EventsAsync("", ct);
        var decide = DecideOnly.FaultsPerSecond(bodies);
        var baseline = await c.BaselineAsync(ct);

        var faultsPerSecond = service.Latencies.Decided / drain.TotalSeconds;
        var figures = new Figures()
            .Add("events_per_second", events / drain.TotalSeconds, 0).Add("faults_per_second", faultsPerSecond, 0)
            .Add("baseline_eps", baseline, 0).Add("ratio", faultsPerSecond / baseline, 3)
            .Add("events", events).Add("faults", s.Faults).Add("nodes", s.Nodes).Add("drain_seconds", drain.TotalSeconds, 2)
            .Add("decide_only_faults_per_second", decide, 0).Add("decide_share", faultsPerSecond / decide, 3)
            .AddAll(profile.Figures(drain));
        await c.SayAsync($"max: {events / drain.TotalSeconds:F0} events/s committed ({faultsPerSecond:F0} faults/s, {events} events in {drain.TotalSeconds:F1} s); " +
            $"baseline {baseline:F0} msgs/s; ratio {faultsPerSecond / baseline:P0}");
        await c.SayAsync($"max: {profile.ToText(drain)}; decide alone runs {decide:F0} faults/s ({faultsPerSecond / decide:P1} of the wall)");
        return figures;
    }
}
