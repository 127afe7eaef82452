using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Contracts;
using Remediation.Service.Bus;

namespace Remediation.Bench.Scenarios;

/// <summary>
/// Max sustained: a backlog of faults waits in RabbitMQ, then the service drains it as fast as it can; every fault
/// becomes an event (no coalescing) so this measures the write path. Compared with the raw COPY baseline.
/// </summary>
/// <remarks>
/// The service drains several backlogs, and the figure is the last. The first is what a restart with a backlog waiting
/// sees: the process compiles its hot path as it drains, then recompiles it optimized in the background for tens of
/// seconds more (<see cref="JitQuiet"/>), and again under the next drains (<see cref="WarmRounds"/>). Each later backlog
/// is published with the ingest endpoints stopped and timed from their start. A single drain measured the JIT when max
/// ran first in the process, and the service when another scenario had run before it.
/// </remarks>
public static class MaxScenario
{
    private const int WarmUpRounds = 6;

    public static async Task<Figures> RunAsync(BenchContext c, CancellationToken ct)
    {
        var s = c.Scale;
        await c.SayAsync($"max: a backlog of {s.Faults} faults over {s.Nodes} nodes, drained by the service; then more, until it is warm");
        await using var service = await BenchService.CreateAsync(c, "max", new Dictionary<string, string?> { ["Decider:CoalesceWindow"] = "00:00:00" }, ct);
        var ingest = service.App.Services.GetRequiredService<IngestEndpoints>();

        await BenchPublisher.PublishAllAsync(c, s.Publishers, Exchanges.Faults, "", Backlog(s), ct);
        var first = Stopwatch.StartNew();
        await service.StartAsync(ct);
        await BenchLoad.WaitForAsync(() => service.Latencies.Decided >= s.Faults, TimeSpan.FromMinutes(10), ct);
        var firstDrain = first.Elapsed;
        var firstEvents = await service.EventsAsync("", ct);
        await c.SayAsync($"max: first drain, from the start: {firstEvents / firstDrain.TotalSeconds:F0} events/s ({firstDrain.TotalSeconds:F1} s, start-up included)");
        await JitQuiet.WaitAsync(c, "max", TimeSpan.FromSeconds(30), ct);
        var warmUps = await WarmRounds.RunAsync(c, "max", WarmUpRounds, 0.03, _ => DrainAsync(c, service, ingest, Backlog(s), ct), ct);

        var bodies = Backlog(s);
        var eventsBefore = await service.EventsAsync("", ct);
        var (drain, profile, cpu) = await DrainAsync(c, service, ingest, bodies, ct);
        var events = await service.EventsAsync("", ct) - eventsBefore;
        var decided = service.Latencies.Decided;
        var decide = DecideOnly.FaultsPerSecond(bodies);
        var baseline = await c.BaselineAsync(ct);

        var faultsPerSecond = decided / drain.TotalSeconds;
        var figures = new Figures()
            .Add("events_per_second", events / drain.TotalSeconds, 0).Add("faults_per_second", faultsPerSecond, 0)
            .Add("baseline_eps", baseline, 0).Add("ratio", faultsPerSecond / baseline, 3)
            .Add("events", events).Add("faults", s.Faults).Add("nodes", s.Nodes).Add("drain_seconds", drain.TotalSeconds, 2)
            .Add("first_drain_events_per_second", firstEvents / firstDrain.TotalSeconds, 0).Add("first_drain_seconds", firstDrain.TotalSeconds, 2)
            .Add("warm_up_drains", warmUps)
            .Add("decide_only_faults_per_second", decide, 0).Add("decide_share", faultsPerSecond / decide, 3)
            .AddAll(profile.Figures(drain)).AddAll(cpu.Figures(events));
        await c.SayAsync($"max: {events / drain.TotalSeconds:F0} events/s committed ({faultsPerSecond:F0} faults/s, {events} events in {drain.TotalSeconds:F1} s); " +
            $"baseline {baseline:F0} msgs/s; ratio {faultsPerSecond / baseline:P0}");
        await c.SayAsync($"max: {profile.ToText(drain)}; decide alone runs {decide:F0} faults/s ({faultsPerSecond / decide:P1} of the wall)");
        await c.SayAsync($"max: {cpu.ToText(events)}");
        return figures;
    }

    /// <summary>
    /// Publishes a backlog with the ingest endpoints stopped, then times the drain from their start, so the publishers'
    /// work is not inside it.
    /// </summary>
    private static async Task<(TimeSpan Drain, HotPathProfile Profile, CpuSpent Cpu)> DrainAsync(BenchContext c, BenchService service, IngestEndpoints ingest, List<byte[]> bodies, CancellationToken ct)
    {
        await ingest.StopAsync(ct);
        await BenchPublisher.PublishAllAsync(c, c.Scale.Publishers, Exchanges.Faults, "", bodies, ct);
        service.Latencies.Reset();
        var before = await HotPathProfile.SnapshotAsync(ct);
        var cpu = CpuSpent.Now();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(IngestEndpoints.Queues.Select(ingest.RestartAsync));
        await BenchLoad.WaitForAsync(() => service.Latencies.Decided >= bodies.Count, TimeSpan.FromMinutes(10), ct);
        var drain = clock.Elapsed;
        var spent = CpuSpent.Now().Since(cpu);
        return (drain, (await HotPathProfile.SnapshotAsync(ct)).Since(before), spent);
    }

    /// <summary>Every fault its own (a fresh eventId each), so the second backlog is decided, not ignored as redelivered.</summary>
    private static List<byte[]> Backlog(BenchScale s) => Enumerable.Range(0, s.Faults).Select(i => BenchWorkload.Fault(i, s.Nodes)).ToList();
}
