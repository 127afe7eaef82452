using System.Diagnostics;
using Remediation.Faults.Checking;
using Remediation.Faults.Harness;
using Remediation.Faults.Reporting;

namespace Remediation.Faults.Scenarios;

/// <summary>
/// Three instances share the partitions; one gets SIGKILL while runbooks have steps in flight on its partitions and a
/// storm is still being published. Its lease session dies with it, so the two survivors must take its partitions,
/// re-dispatch its steps in flight under their original commandIds, and finish everything: nothing lost, nothing
/// done twice, every runbook ended, and the survivors holding every partition between them.
/// </summary>
public sealed class KillOneOfThree(int stormNodes = 1500, int perNode = 8, int runbookNodes = 300) : IScenario
{
    private static readonly TimeSpan TakeOver = TimeSpan.FromSeconds(30);

    public string Name => "kill-9-one-of-three";

    public async Task<ScenarioResult> RunAsync(Scene scene, CancellationToken ct)
    {
        var runbooks = Workload.Runbooks(runbookNodes, firstNode: stormNodes);
        var storm = Workload.Storm(stormNodes, perNode);
        await using var fleet = await scene.StartFleetAsync(runbooks.Select(f => f.NodeId).ToList(), TimeSpan.FromSeconds(2), ct);
        var services = new List<ServiceProcess>();
        // The service logs its hand-overs at Information ("Took over 13 nodes with open work … re-publishing 13 steps"):
        // a handful of lines that say in the kept log who took what.
        for (var i = 0; i < 3; i++) services.Add(await scene.StartServiceAsync(ct, PartitionHolders.Setting, "--Logging:LogLevel:Remediation.Service=Information"));
        var spread = await Scene.WaitAsync(() => PartitionHolders.SharedOnceAsync(services, ct), TakeOver, ct);
        var notes = new List<string> { $"3 instances held all {PartitionHolders.Count} partitions once {spread.TotalSeconds:F1}s after the last started: {await PartitionHolders.DescribeAsync(services, ct)}" };

        await using var publisher = scene.Publisher();
        await publisher.PublishAsync(Workload.Bodies(runbooks), perSecond: 0, ct);
        var publishing = publisher.PublishAsync(Workload.Bodies(storm[..(storm.Count / 2)]), perSecond: 1500, ct);

        // Kill once every runbook's first step has reached its agent: each instance holds about a third of the runbook
        // nodes, and their steps are running or their results are on the way, while the storm's first half drains.
        // Later (mid second step, as in kill-9-mid-runbook) the victim's share is often already done on a busy machine.
        await Scene.WaitAsync(() => Task.FromResult(fleet.Executed.Count >= runbookNodes), TimeSpan.FromSeconds(120), ct);
        var victim = services[1];
        var survivors = services.Where(s => s != victim).ToList();
        var victimHeld = await PartitionHolders.OfAsync(victim, ct);
        var (busyAtKill, publishedAtKill, redeliveredAtKill) = (await scene.Store.BusyNodesAsync(ct), publisher.Published, Redelivered(fleet));
        scene.Say($"kill -9 of instance 2, holding partitions {string.Join(",", victimHeld)}");
        await victim.KillAsync();
        var killed = Stopwatch.StartNew();
        notes.Add($"killed instance 2 (partitions {string.Join(",", victimHeld)}) with {busyAtKill} of {runbookNodes} runbooks open, "
            + $"{publishedAtKill} of {runbooks.Count + storm.Count} faults published");

        // The second half of the storm goes out after the kill, so the survivors take over with input still arriving.
        await publishing;
        publishing = publisher.PublishAsync(Workload.Bodies(storm[(storm.Count / 2)..]), perSecond: 1500, ct);
        var takenOver = await WaitForTakeOverAsync(survivors, killed, notes, ct);
        await publishing;
        var all = runbooks.Concat(storm).ToList();
        var recovery = await scene.RecoveryAsync(all, killed, "the kill", TimeSpan.FromSeconds(120), notes, ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct); // let any late duplicate command reach the agents before counting

        var coveredAtEnd = await PartitionHolders.SharedOnceAsync(survivors, ct);
        var redispatched = Redelivered(fleet) - redeliveredAtKill;
        notes.Add($"survivors at the end: {await PartitionHolders.DescribeAsync(survivors, ct)}; "
            + $"{redispatched} commands re-delivered after the kill (steps in flight on the killed instance, re-dispatched by the new holders)");
        if (redispatched == 0) notes.Add("note: no step was in flight on the killed instance, so its take-over was not exercised; the kill came too late");
        if (!coveredAtEnd) notes.Add("FAIL: the survivors do not hold every partition exactly once between them");
        var store = await scene.Store.SnapshotAsync(ct);
        var result = Verdict.Of(Name, publisher.Published + publisher.Retried, store, FaultAccount.Of(all, store), ActionAccount.Of(store, fleet),
            await scene.Store.BusyNodesAsync(ct), recovery, notes);
        return result with { Passed = result.Passed && recovery is not null && takenOver && coveredAtEnd };
    }

    /// <summary>How long the survivors took to hold every partition between them: the victim's lease session must die with it.</summary>
    private static async Task<bool> WaitForTakeOverAsync(IReadOnlyList<ServiceProcess> survivors, Stopwatch killed, List<string> notes, CancellationToken ct)
    {
        try
        {
            await Scene.WaitAsync(() => PartitionHolders.SharedOnceAsync(survivors, ct), TakeOver, ct);
            notes.Add($"the 2 survivors held all {PartitionHolders.Count} partitions {killed.Elapsed.TotalSeconds:F1}s after the kill: {await PartitionHolders.DescribeAsync(survivors, ct)}");
            return true;
        }
        catch (TimeoutException)
        {
            notes.Add($"FAIL: the survivors did not hold every partition within {TakeOver.TotalSeconds:F0}s of the kill: {await PartitionHolders.DescribeAsync(survivors, ct)}");
            return false;
        }
    }

    private static int Redelivered(RecordingFleet fleet) => fleet.Deliveries.Values.Sum(n => n - 1);
}
