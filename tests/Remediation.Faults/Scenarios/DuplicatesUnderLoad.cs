using System.Diagnostics;
using Remediation.Faults.Checking;
using Remediation.Faults.Harness;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// Every fault is published twice and every agent answers every step twice, and a second instance starts while the
/// load is running. Both copies of an eventId go to the same partition, so they never race in two instances at once;
/// what is concurrent is the hand-over: the first instance hands half its partitions to the second under load, so a
/// node's stream is written by one instance, then by the other, which must start from the committed state (its
/// remembered eventIds, its step in flight) and ignore the copies the first already recorded. A stale cached state
/// would lose on the stream's expected version and be reloaded. Everything must be acted on once.
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
        var first = await scene.StartServiceAsync(ct, PartitionHolders.Setting);
        await using var publisher = scene.Publisher();
        var started = Stopwatch.StartNew();
        await publisher.PublishAsync(Workload.Bodies(twice[..(twice.Count / 2)]), perSecond: 0, ct);

        // The second instance starts with a backlog in the first one's queues, and the other half of the copies (the
        // twins of many the first instance already recorded) keeps coming, paced, through the hand-over and after it.
        await Scene.WaitAsync(async () => await scene.Store.FaultsAccountedAsync(ct) >= all.Count / 4, TimeSpan.FromSeconds(120), ct);
        var atSecond = await scene.Store.FaultsAccountedAsync(ct);
        var publishing = publisher.PublishAsync(Workload.Bodies(twice[(twice.Count / 2)..]), perSecond: 300, ct);
        var second = await scene.StartServiceAsync(ct, PartitionHolders.Setting);
        var handOver = await Scene.WaitAsync(() => PartitionHolders.SharedOnceAsync([first, second], ct), TimeSpan.FromSeconds(60), ct);
        var notes = new List<string>
        {
            $"second instance started with {atSecond} of {all.Count} faults recorded; {handOver.TotalSeconds:F1}s later the two held "
                + $"{await PartitionHolders.DescribeAsync([first, second], ct)}, with {twice.Count - publisher.Published} of {twice.Count} copies still to publish",
        };
        await publishing;
        await scene.WaitUntilRecordedAsync(all, runbooksEnded: true, TimeSpan.FromSeconds(120), ct);
        notes.Add($"{twice.Count} faults published (each twice) and drained in {started.Elapsed.TotalSeconds:F1}s; no restart, so no recovery time");
        await Task.Delay(TimeSpan.FromSeconds(6), ct); // both copies of the last messages, and a coalescing flush

        var store = await scene.Store.SnapshotAsync(ct);
        return Verdict.Of(Name, publisher.Published, store, FaultAccount.Of(all, store), ActionAccount.Of(store, fleet),
            await scene.Store.BusyNodesAsync(ct), null, notes);
    }
}
