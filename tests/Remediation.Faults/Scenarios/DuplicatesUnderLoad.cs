using System.Diagnostics;
using Remediation.Faults.Checking;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// Every fault is published twice and every agent answers every step twice, while two service instances consume the
/// same queues: the two copies of one eventId often land in different instances at once, so both write the same
/// stream and one must lose on its expected version, reload and see the repeat. Everything must be acted on once.
/// </summary>
public sealed class DuplicatesUnderLoad(int stormNodes = 1000, int perNode = 5, int runbookNodes = 150) : IScenario
{
    public string Name => "duplicates-2-writers";

    public async Task<ScenarioResult> RunAsync(Scene scene, CancellationToken ct)
    {
        var runbooks = Workload.Runbooks(runbookNodes, firstNode: stormNodes);
        var storm = Workload.Storm(stormNodes, perNode);
        var all = runbooks.Concat(storm).ToList();
        var random = new Random(4);
        var twice = all.Concat(all).Select(f => (f, Key: random.Next())).OrderBy(x => x.Key).Select(x => x.f).ToList();

        await using var fleet = await scene.StartFleetAsync(runbooks.Select(f => f.NodeId).ToList(), TimeSpan.FromMilliseconds(500), ct, answerTwice: true);
        await scene.StartServiceAsync(ct);
        await scene.StartServiceAsync(ct);
        await using var publisher = scene.Publisher();
        var started = Stopwatch.StartNew();
        await publisher.PublishAsync(Workload.Bodies(twice), perSecond: 0, ct);
        await scene.WaitUntilRecordedAsync(all, runbooksEnded: true, TimeSpan.FromSeconds(120), ct);
        var drained = started.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(6), ct); // both copies of the last messages, and a coalescing flush

        var store = await scene.Store.SnapshotAsync(ct);
        var notes = new List<string> { $"{twice.Count} faults published (each twice) and drained in {drained:F1}s; no restart, so no recovery time" };
        return Verdict.Of(Name, publisher.Published, store, FaultAccount.Of(all, store), ActionAccount.Of(store, fleet),
            await scene.Store.BusyNodesAsync(ct), null, notes);
    }
}
